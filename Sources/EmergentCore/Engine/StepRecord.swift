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
