/// The optimizer and learning-rate schedule of a run, as the experiment file gives them.
public struct OptimizerConfig: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable { case sgd, adam, adamw }

    public var kind: Kind
    public var learningRate: Double
    public var momentum: Double
    public var nesterov: Bool
    public var weightDecay: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var clipNorm: Double?

    /// The classifiers' default: SGD, lr 0.05, momentum 0.9.
    public static let sgd = OptimizerConfig(
        kind: .sgd, learningRate: 0.05, momentum: 0.9, nesterov: false, weightDecay: 0,
        beta1: 0.9, beta2: 0.999, epsilon: 1e-8, clipNorm: nil)
    /// The transformer's default, as the PyTorch reference: Adam (0.9, 0.98, 1e-9), peak lr 5e-4, clip 1.
    public static let transformerAdam = OptimizerConfig(
        kind: .adam, learningRate: 5e-4, momentum: 0, nesterov: false, weightDecay: 0,
        beta1: 0.9, beta2: 0.98, epsilon: 1e-9, clipNorm: 1)

    static func read(_ reader: inout ConfigReader, defaults: OptimizerConfig) throws(ExperimentError) -> OptimizerConfig
    {
        var c = defaults
        c.kind = Kind(
            rawValue: try reader.choice("kind", Kind.allCases.map(\.rawValue), default: defaults.kind.rawValue))!
        c.learningRate = try reader.number("lr", LiveSetting.learningRate.range, default: defaults.learningRate)
        c.weightDecay = try reader.number(
            "weight_decay", LiveSetting.weightDecay.range, default: c.kind == .adamw && defaults.kind != .adamw ? 0.01 : defaults.weightDecay)
        if let clip = try reader.optionalNumber("clip_norm", 1e-6...1e6) { c.clipNorm = clip }
        switch c.kind {
        case .sgd:
            c.momentum = try reader.number(
                "momentum", LiveSetting.momentum.range, default: defaults.kind == .sgd ? defaults.momentum : 0.9)
            c.nesterov = try reader.bool("nesterov", default: defaults.kind == .sgd && defaults.nesterov)
            if c.nesterov && c.momentum == 0 {
                throw .invalid(path: reader.keyPath("nesterov"), message: "Nesterov needs a momentum above 0")
            }
        case .adam, .adamw:
            c.beta1 = try reader.number("beta1", 0...0.9999, default: defaults.kind == .sgd ? 0.9 : defaults.beta1)
            c.beta2 = try reader.number("beta2", 0...0.999999, default: defaults.kind == .sgd ? 0.999 : defaults.beta2)
            c.epsilon = try reader.number(
                "epsilon", 1e-12...1, default: defaults.kind == .sgd ? 1e-8 : defaults.epsilon)
        }
        return c
    }

    /// The optimizer kind the core's `Optimizer` takes.
    public var optimizerKind: OptimizerKind {
        switch kind {
        case .sgd: .sgd(momentum: Float(momentum), nesterov: nesterov, weightDecay: Float(weightDecay))
        case .adam:
            .adam(beta1: Float(beta1), beta2: Float(beta2), epsilon: Float(epsilon), weightDecay: Float(weightDecay))
        case .adamw:
            .adamW(beta1: Float(beta1), beta2: Float(beta2), epsilon: Float(epsilon), weightDecay: Float(weightDecay))
        }
    }
}

/// The learning-rate schedule as configured; `cosine` without `total_steps` runs over the
/// whole training, which is known once the dataset is loaded.
public struct ScheduleConfig: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable { case constant, step, cosine, inverseSqrt = "inverse_sqrt" }
    public var kind: Kind
    public var warmupSteps: Int
    public var every: Int
    public var factor: Double
    public var floor: Double
    public var totalSteps: Int?

    public static let constant = ScheduleConfig(
        kind: .constant, warmupSteps: 0, every: 1000, factor: 0.1, floor: 0, totalSteps: nil)
    public static let transformer = ScheduleConfig(
        kind: .inverseSqrt, warmupSteps: 1000, every: 1000, factor: 0.1, floor: 0, totalSteps: nil)

    static func read(_ reader: inout ConfigReader, defaults: ScheduleConfig) throws(ExperimentError) -> ScheduleConfig {
        var c = defaults
        c.kind = Kind(
            rawValue: try reader.choice("kind", Kind.allCases.map(\.rawValue), default: defaults.kind.rawValue))!
        c.warmupSteps = try reader.integer("warmup_steps", 0...10_000_000, default: defaults.warmupSteps)
        switch c.kind {
        case .step:
            c.every = try reader.integer("every", 1...10_000_000, default: defaults.every)
            c.factor = try reader.number("factor", 1e-6...1, default: defaults.factor)
        case .cosine:
            c.floor = try reader.number("floor", 0...100, default: defaults.floor)
            c.totalSteps = try reader.optionalInteger("total_steps", 1...100_000_000)
        case .constant, .inverseSqrt:
            break
        }
        return c
    }

    /// The schedule for a peak rate, given the run's total number of steps.
    public func schedule(base: Double, totalSteps: Int) -> LearningRateSchedule {
        let decay: LearningRateSchedule.Decay
        switch kind {
        case .constant: decay = .constant
        case .step: decay = .step(every: every, factor: factor)
        case .cosine: decay = .cosine(totalSteps: self.totalSteps ?? totalSteps, floor: floor)
        case .inverseSqrt: decay = .inverseSquareRoot
        }
        return LearningRateSchedule(base: base, warmupSteps: warmupSteps, decay: decay)
    }
}
