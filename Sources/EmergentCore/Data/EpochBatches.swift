/// The order in which a run visits its training set: a fresh seeded permutation per epoch,
/// cut into batches. The permutation depends only on the seed and the epoch, so a resumed
/// or forked run sees exactly the batches the original would have.
public struct EpochBatches: Sendable {
    public let count: Int
    public let batchSize: Int
    public let seed: UInt64
    /// Whether a last, smaller batch is dropped (keeps BatchNorm statistics comparable).
    public let dropsLast: Bool

    public init(count: Int, batchSize: Int, seed: UInt64, dropsLast: Bool = false) {
        precondition(count >= 0 && batchSize > 0, "need count ≥ 0 and batch size > 0")
        self.count = count
        self.batchSize = batchSize
        self.seed = seed
        self.dropsLast = dropsLast
    }

    public var batchesPerEpoch: Int { dropsLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    /// The shuffled indices of `epoch` (0-based).
    public func permutation(epoch: Int) -> [Int] {
        var generator = SeededRandom(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
        var indices = Array(0..<count)
        indices.shuffle(using: &generator)
        return indices
    }

    /// The batches of `epoch`, in order.
    public func batches(epoch: Int) -> [ArraySlice<Int>] {
        let order = permutation(epoch: epoch)
        return (0..<batchesPerEpoch).map { order[($0 * batchSize)..<min(($0 + 1) * batchSize, count)] }
    }
}
