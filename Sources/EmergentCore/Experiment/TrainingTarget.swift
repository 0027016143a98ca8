/// The time-to-target measure: the first epoch end at which a run's test metric (`test/acc`,
/// token accuracy for translation) reaches a target, in steps and in the run's own seconds.
public struct TrainingTarget: Sendable, Equatable {
    public let epoch: Int
    public let step: Int
    public let seconds: Double

    public init(epoch: Int, step: Int, seconds: Double) {
        self.epoch = epoch
        self.step = step
        self.seconds = seconds
    }

    /// The default target per dataset: reached by a sound init within a few epochs, so that
    /// a faster start shows as fewer steps (the `target` key sets another).
    public static func defaultValue(dataset: String) -> Double {
        switch dataset {
        case "fashion-mnist-small": 0.80
        case "fashion-mnist": 0.85
        case "mnist": 0.97
        case "cifar10": 0.50
        case "de-en-numbers": 0.90
        case "freedict-de-en": 0.50
        default: 0.80
        }
    }
}
