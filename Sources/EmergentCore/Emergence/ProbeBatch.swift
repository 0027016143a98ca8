/// The fixed probe of an experiment: the same samples for every run, so that emergence and
/// layer statistics compare across runs. The first `size` indices of a permutation seeded
/// by the experiment (not the run).
public enum ProbeBatch {
    public static let defaultSize = 256

    public static func indices(size: Int, of available: Int, experimentSeed: UInt64) throws(EmergenceError) -> [Int] {
        guard size > 0, available > 0 else { throw .emptyProbe }
        guard size <= available else { throw .probeTooLarge(requested: size, available: available) }
        var generator = SeededRandom(seed: experimentSeed ^ 0x5052_4F42_4521)  // "PROBE!"
        var all = Array(0..<available)
        all.shuffle(using: &generator)
        return Array(all.prefix(size))
    }
}
