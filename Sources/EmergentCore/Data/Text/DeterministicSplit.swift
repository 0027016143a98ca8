/// The split of the PyTorch reference's `freedict_pairs.py`, usable for any list: a Fisher–Yates
/// shuffle driven by SplitMix64 (for i from n−1 down to 1, j = next() mod (i+1), swap),
/// then the first `trainFraction` for training and the rest for testing.
public enum DeterministicSplit {
    public static func shuffled<Element>(_ items: [Element], seed: UInt64) -> [Element] {
        var items = items
        var generator = SplitMix64(seed: seed)
        var i = items.count - 1
        while i > 0 {
            let j = Int(generator.next() % UInt64(i + 1))
            items.swapAt(i, j)
            i -= 1
        }
        return items
    }

    /// `int(len(items) * fraction)` training items, the rest for testing.
    public static func split<Element>(
        _ items: [Element], seed: UInt64, trainFraction: Double
    ) -> (train: [Element], test: [Element]) {
        let shuffled = shuffled(items, seed: seed)
        let trainCount = Int(Double(shuffled.count) * trainFraction)
        return (Array(shuffled[..<trainCount]), Array(shuffled[trainCount...]))
    }
}
