/// The random generator every run, model and initializer owns: xoshiro256** (Blackman and
/// Vigna 2018) seeded through SplitMix64. There is no global random state in Emergent; a
/// value of this type is passed `inout` to whatever draws, so a run's numbers depend only
/// on its seed.
public struct SeededRandom: RandomNumberGenerator, Sendable, Equatable, Codable {
    private var s0, s1, s2, s3: UInt64
    /// The second value of the last Box–Muller pair, returned by the next `normal()`.
    var spareNormal: Double?

    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// An independent generator for a sub-task (a layer's weights, a data shuffle), derived
    /// from this one so that adding draws to one sub-task leaves the others unchanged.
    public mutating func split() -> SeededRandom {
        SeededRandom(seed: next())
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
