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
