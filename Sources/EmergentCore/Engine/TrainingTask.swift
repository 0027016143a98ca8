/// What the trainer needs from a model and its data, so one loop trains classifiers and the
/// transformer alike. A task belongs to one run and is used by one worker at a time.
protocol TrainingTask: AnyObject {
    var store: ParameterStore { get }
    var initTarget: any InitTarget { get }
    var signalMap: SignalMap { get }
    var trainCount: Int { get }
    /// The layers whose state (running statistics, dropout generators) a checkpoint keeps.
    var statefulLayers: [any Layer] { get }

    /// Batches of training indices for a 0-based epoch, in order.
    func batches(epoch: Int, batchSize: Int, epochSize: Int?, seed: UInt64) -> [[Int]]
    /// Zeroes the gradients, then forward (training mode), loss and backward on a batch.
    func forwardBackward(_ indices: [Int]) -> BatchLoss
    /// Forward and backward on the probe in probe mode (no running statistics, no dropout):
    /// the gradients a step-0 measurement reads.
    func probeForwardBackward()
    /// Forward on the probe in probe mode: the signals a measurement reads.
    func probeForward()
    /// The epoch-end test metrics, in evaluation mode.
    func evaluate() -> [String: Double]
    /// Applies the initializer (with the probe and the search batches data-driven schemes need).
    func initialize(
        _ spec: InitializerSpec, using generator: inout SeededRandom,
        progress: (ScaleSearch.Progress) -> Void
    ) throws(InitError) -> InitReport
    /// The emergent weight updater, for `updater` runs.
    func makeUpdater(
        _ spec: InitializerSpec, using generator: inout SeededRandom
    ) throws(InitError) -> EmergentWeightUpdater?
}

/// Mean loss over counted targets, and the counts behind accuracy.
struct BatchLoss {
    let loss: Double
    let correct: Int
    let counted: Int
    let samples: Int
}

extension TrainingTask {
    /// The first `size` of a permutation seeded by the experiment (all of them when 0): every
    /// run is evaluated on the same samples.
    static func evaluationSubset(count: Int, size: Int, seed: UInt64) -> [Int] {
        guard size > 0, size < count else { return Array(0..<count) }
        var generator = SeededRandom(seed: seed ^ 0x5445_5354)  // "TEST"
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        return Array(order.prefix(size)).sorted()
    }

    /// The batches of an epoch of `epochSize` samples (a fresh random subset each epoch) or the whole split.
    static func imageStyleBatches(count: Int, epoch: Int, batchSize: Int, epochSize: Int?, seed: UInt64) -> [[Int]] {
        let schedule = EpochBatches(count: count, batchSize: batchSize, seed: seed)
        let order = schedule.permutation(epoch: epoch).prefix(min(epochSize ?? count, count))
        return stride(from: 0, to: order.count, by: batchSize).map {
            Array(order[(order.startIndex + $0)..<min(order.startIndex + $0 + batchSize, order.endIndex)])
        }
    }
}
