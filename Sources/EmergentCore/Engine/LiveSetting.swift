/// A hyperparameter that may change while a run trains (from the keyboard, a `:` command, or
/// an experiment file's `changes`), with its valid values defined here once: experiment
/// files, the dashboard's keys and commands, and the run manager all check against these.
public enum LiveSetting: String, Sendable, Hashable, Codable, CaseIterable {
    case learningRate = "lr", momentum, weightDecay = "weight_decay", tau

    public var range: ClosedRange<Double> {
        switch self {
        case .learningRate: 1e-9...100
        case .momentum: 0...0.999
        case .weightDecay: 0...10
        case .tau: 1e-12...1e6
        }
    }

    /// Why `value` cannot be given to `run` (out of range, or momentum on a run that has
    /// none), in the user's words; nil when it can.
    public func refusal(of value: Double, for run: RunConfig) -> String? {
        guard value.isFinite, range.contains(value) else {
            return "\(rawValue) \(value) is out of range; it must be in \(range.lowerBound)...\(range.upperBound)"
        }
        if self == .momentum && run.settings.optimizer.kind != .sgd {
            return "momentum applies to SGD; this run uses \(run.settings.optimizer.kind.rawValue)"
        }
        return nil
    }
}

/// A run's live settings as they stand: the configuration's values, then every change.
/// Runs' snapshots carry them, so the screen reads typed values, not series keys.
public struct LiveSettings: Sendable, Equatable {
    public var learningRate: Double
    /// SGD's momentum; nil for Adam and AdamW.
    public var momentum: Double?
    public var weightDecay: Double
    public var tau: Double

    public init(_ config: RunConfig) {
        let optimizer = config.settings.optimizer
        learningRate = optimizer.learningRate
        momentum = optimizer.kind == .sgd ? optimizer.momentum : nil
        weightDecay = optimizer.weightDecay
        tau = config.settings.measurement.emergence.tau
    }

    public subscript(setting: LiveSetting) -> Double? {
        get {
            switch setting {
            case .learningRate: learningRate
            case .momentum: momentum
            case .weightDecay: weightDecay
            case .tau: tau
            }
        }
        set {
            guard let newValue else { return }
            switch setting {
            case .learningRate: learningRate = newValue
            case .momentum: momentum = newValue
            case .weightDecay: weightDecay = newValue
            case .tau: tau = newValue
            }
        }
    }
}
