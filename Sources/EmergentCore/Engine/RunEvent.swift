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
