import Foundation

/// Everything a run reports, in the order it happens. The trainer emits these and knows
/// nothing of who listens: the headless progress bars, the dashboard and the run log are
/// all subscribers. Every payload is a value, safe to hand to another thread.
public enum RunEvent: Sendable, Equatable {
    /// The run begins initializing (its configuration is in the manager's snapshot).
    case started(seed: UInt64)
    /// One step of a data-driven or learned initializer (`iteration` of `total`), with the
    /// objective's terms when it has them.
    case initProgress(iteration: Int, total: Int, terms: [String: Double])
    /// Initialization is over: per-layer scales and reasons, and what it cost.
    case initialized(InitReport)
    case step(StepRecord)
    /// The probe was measured (step 0, every N steps, each epoch end, or after a new τ).
    case measured(MeasurementRecord)
    case epochEnded(EpochRecord)
    /// The trainer's whole state after an epoch end, for the run folder's checkpoint.
    case checkpointed(TrainerCheckpoint)
    /// A learning rate, momentum, weight decay or τ changed at `step` (live or scheduled).
    case parameterChanged(step: Int, parameter: ParameterChange.Parameter, old: Double, new: Double)
    /// The run's length changed live to `new` epochs (a finished run may train on).
    case epochsChanged(step: Int, old: Int, new: Int)
    /// One warm-up step of the emergent weight updater: the scales it applies.
    case updaterProgress(step: Int, scales: [String: Double], logEmergence: Double?)
    /// The updater's h is frozen; its scales stay for the rest of training.
    case updaterFrozen(step: Int, scales: [String: Double], parameters: Int, seconds: Double, probeForwards: Int)
    case paused(step: Int)
    case resumed(step: Int)
    /// Back to step 0 with the same configuration and seed.
    case restarted
    /// The loss was NaN or infinite at `step`; the run stops there and its curves stay.
    case diverged(step: Int, loss: Double)
    case finished(step: Int)
    case cancelled(step: Int)
    /// The run could not go on (an initializer that does not apply, say).
    case failed(step: Int, message: String)
}

extension RunEvent {
    /// The event in words, as the events pane and `events.jsonl` show it; empty for the
    /// per-step records, which are metrics rather than events.
    public var summary: String {
        switch self {
        case let .started(seed): "started, seed \(seed)"
        case let .initialized(report): String(format: "initialized in %.2f s", report.seconds)
        case let .parameterChanged(step, parameter, old, new):
            String(format: "step %d: %@ %g → %g", step, parameter.rawValue, old, new)
        case let .epochsChanged(step, old, new): "step \(step): epochs \(old) → \(new)"
        case let .epochEnded(record):
            "epoch \(record.epoch) ended at step \(record.step)"
                + (record.test["test/acc"].map { String(format: ", test %.2f%%", 100 * $0) } ?? "")
        case let .updaterFrozen(step, _, _, _, _): "step \(step): updater scales frozen"
        case let .paused(step): "step \(step): paused"
        case let .resumed(step): "step \(step): resumed"
        case .restarted: "restarted from step 0"
        case let .diverged(step, loss): "step \(step): diverged (loss \(loss))"
        case let .finished(step): "step \(step): finished"
        case let .cancelled(step): "step \(step): cancelled"
        case let .failed(step, message): "step \(step): failed: \(message)"
        case .step, .measured, .initProgress, .updaterProgress, .checkpointed: ""
        }
    }

}

/// One training step's numbers.
public struct StepRecord: Sendable, Equatable, Codable {
    /// Steps done, counting this one (the first step is 1).
    public let step: Int
    /// 0-based epoch this step belongs to.
    public let epoch: Int
    public let loss: Double
    /// Accuracy on the batch (token accuracy for translation).
    public let accuracy: Double
    public let learningRate: Double
    /// Global L2 norm of the gradient before clipping.
    public let gradientNorm: Double
    public let samples: Int
    public let samplesPerSecond: Double
    /// Seconds of this run's own work since it started (initialization included).
    public let wallTime: Double

    public init(
        step: Int, epoch: Int, loss: Double, accuracy: Double, learningRate: Double, gradientNorm: Double, samples: Int,
        samplesPerSecond: Double, wallTime: Double
    ) {
        self.step = step
        self.epoch = epoch
        self.loss = loss
        self.accuracy = accuracy
        self.learningRate = learningRate
        self.gradientNorm = gradientNorm
        self.samples = samples
        self.samplesPerSecond = samplesPerSecond
        self.wallTime = wallTime
    }
}

/// One measurement of the probe: emergence and the per-layer table.
public struct MeasurementRecord: Sendable, Equatable, Codable {
    public let step: Int
    public let log10E: Double
    public let log10CompleteE: Double
    public let log10Relative: Double
    public let layers: [LayerMeasurement]
    public let wallTime: Double

    public init(
        step: Int, log10E: Double, log10CompleteE: Double, log10Relative: Double, layers: [LayerMeasurement],
        wallTime: Double
    ) {
        self.step = step
        self.log10E = log10E
        self.log10CompleteE = log10CompleteE
        self.log10Relative = log10Relative
        self.layers = layers
        self.wallTime = wallTime
    }
}

/// What an epoch ended with: the training averages and the test metrics.
public struct EpochRecord: Sendable, Equatable, Codable {
    /// 1-based: the number of epochs done.
    public let epoch: Int
    public let step: Int
    public let trainLoss: Double
    public let trainAccuracy: Double
    /// `test/loss`, `test/acc` and, for translation, `test/greedy_token_acc`, `test/exact_match`, `test/bleu`.
    public let test: [String: Double]
    public let wallTime: Double

    public init(
        epoch: Int, step: Int, trainLoss: Double, trainAccuracy: Double, test: [String: Double], wallTime: Double
    ) {
        self.epoch = epoch
        self.step = step
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.test = test
        self.wallTime = wallTime
    }
}
