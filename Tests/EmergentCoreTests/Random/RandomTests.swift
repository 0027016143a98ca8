import Kernels
import EmergentCore
import Foundation
import Testing

@Suite("Seeded random generator and its distributions")
struct RandomTests {
    static let sampleSize = 200_000

    @Test("same seed, same sequence; different seeds, different sequences; splits are independent")
    func determinism() {
        var first = SeededRandom(seed: 42), second = SeededRandom(seed: 42), other = SeededRandom(seed: 43)
        let a = (0..<100).map { _ in first.next() }
        let b = (0..<100).map { _ in second.next() }
        let c = (0..<100).map { _ in other.next() }
        #expect(a == b)
        #expect(a != c)
        var parent = SeededRandom(seed: 7)
        var child = parent.split()
        #expect((0..<10).map { _ in child.next() } != (0..<10).map { _ in parent.next() })
    }

    @Test("xoshiro256** matches its reference output for a known state")
    func referenceOutput() {
        // SplitMix64 seeded with 0 gives these first words (Vigna's splitmix64.c).
        var mixer = SplitMix64(seed: 0)
        #expect(mixer.next() == 0xE220_A839_7B1D_CDAF)
        #expect(mixer.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test("uniform on [0, 1): mean 1/2, variance 1/12, CDF linear")
    func uniform() {
        let sample = SampleStatistics(count: Self.sampleSize, seed: 1) { $0.uniform() }
        #expect(sample.values.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(sample.meanMatches(0.5, variance: 1.0 / 12))
        #expect(sample.varianceMatches(1.0 / 12, fourthMoment: 1.0 / 80))
        for x in [0.1, 0.25, 0.5, 0.9] { #expect(sample.cdfMatches(at: x, x)) }
        let shifted = SampleStatistics(count: Self.sampleSize, seed: 2) { $0.uniform(-3, 5) }
        #expect(shifted.values.allSatisfy { $0 >= -3 && $0 < 5 })
        #expect(shifted.meanMatches(1, variance: 64.0 / 12))
    }

    @Test("normal: mean, variance, kurtosis 3, and Φ at ±1.96, ±1, 0")
    func normal() {
        let sample = SampleStatistics(count: Self.sampleSize, seed: 3) { $0.normal(mean: 2, standardDeviation: 3) }
        #expect(sample.meanMatches(2, variance: 9))
        #expect(sample.varianceMatches(9, fourthMoment: 3 * 81))
        for z in [-1.96, -1, 0, 1, 1.96] {
            #expect(sample.cdfMatches(at: 2 + 3 * z, NormalDistribution.cdf(z)))
        }
    }

    @Test("the normal quantile inverts Φ to double precision, tails included")
    func normalQuantile() {
        for p in [1e-12, 1e-6, 0.001, 0.02, 0.3, 0.5, 0.77, 0.975, 0.999999] {
            let x = NormalDistribution.quantile(p)
            #expect(abs(NormalDistribution.cdf(x) - p) <= 1e-13 * max(p, 1e-3), "p = \(p)")
        }
        #expect(abs(NormalDistribution.quantile(0.975) - 1.959963984540054) < 1e-12)
    }

    @Test(
        "truncated normal: stays in bounds, mean and variance of the truncated law",
        arguments: [
            (-2.0, 2.0), (0.5, 3.0), (-1.0, 0.25), (4.0, 6.0),
        ])
    func truncatedNormal(bounds: (Double, Double)) {
        let (a, b) = bounds
        let sample = SampleStatistics(count: Self.sampleSize, seed: 4) { $0.truncatedNormal(lower: a, upper: b) }
        #expect(sample.values.allSatisfy { $0 >= a && $0 <= b })
        let mass = NormalDistribution.cdf(b) - NormalDistribution.cdf(a)
        let phiA = NormalDistribution.density(a), phiB = NormalDistribution.density(b)
        let mean = (phiA - phiB) / mass
        let variance = 1 + (a * phiA - b * phiB) / mass - mean * mean
        #expect(sample.meanMatches(mean, variance: variance))
        // The fourth central moment of a law on [a, b] is at most (b − a)²·σ²: a safe bound.
        #expect(sample.varianceMatches(variance, fourthMoment: (b - a) * (b - a) * variance))
        // Median of the truncated law.
        let median = NormalDistribution.quantile(NormalDistribution.cdf(a) + mass / 2)
        #expect(sample.cdfMatches(at: median, 0.5))
    }

    @Test("gamma: mean and variance equal the shape", arguments: [0.5, 1.0, 3.0, 10.0])
    func gamma(shape: Double) {
        let sample = SampleStatistics(count: Self.sampleSize, seed: 5) { $0.gamma(shape: shape) }
        #expect(sample.values.allSatisfy { $0 > 0 })
        #expect(sample.meanMatches(shape, variance: shape))
        // Fourth central moment of Gamma(k, 1): 3k² + 6k.
        #expect(sample.varianceMatches(shape, fourthMoment: 3 * shape * shape + 6 * shape))
    }

    @Test("Student-t: closed-form CDFs for ν = 1 and 2, variance ν/(ν−2) for ν = 5")
    func studentT() {
        let cauchy = SampleStatistics(count: Self.sampleSize, seed: 6) { $0.studentT(degreesOfFreedom: 1) }
        for x in [-3.0, -1, 0, 0.5, 2] { #expect(cauchy.cdfMatches(at: x, 0.5 + atan(x) / Double.pi)) }
        let two = SampleStatistics(count: Self.sampleSize, seed: 7) { $0.studentT(degreesOfFreedom: 2) }
        for x in [-2.0, -0.5, 0, 1, 3] { #expect(two.cdfMatches(at: x, 0.5 + x / (2 * (2 + x * x).squareRoot()))) }
        let five = SampleStatistics(count: Self.sampleSize, seed: 8) { $0.studentT(degreesOfFreedom: 5) }
        // ν = 5: variance 5/3; fourth moment 3ν²/((ν−2)(ν−4)) = 25.
        #expect(five.meanMatches(0, variance: 5.0 / 3))
        #expect(five.varianceMatches(5.0 / 3, fourthMoment: 25))
    }

    @Test("symmetric α-stable: characteristic function exp(−|ct|^α)", arguments: [0.7, 1.0, 1.5, 1.9, 2.0])
    func symmetricStable(alpha: Double) {
        let scale = 0.8
        let sample = SampleStatistics(count: Self.sampleSize, seed: 9) {
            $0.symmetricStable(alpha: alpha, scale: scale)
        }
        #expect(sample.values.allSatisfy { $0.isFinite })
        for t in [0.25, 0.5, 1.0, 2.0] {
            #expect(sample.characteristicFunctionMatches(at: t, exp(-pow(scale * t, alpha))), "α = \(alpha), t = \(t)")
        }
        #expect(sample.cdfMatches(at: 0, 0.5))
        if alpha == 2 {  // a normal with variance 2c²
            #expect(sample.varianceMatches(2 * scale * scale, fourthMoment: 3 * pow(2 * scale * scale, 2)))
        }
        if alpha == 1 {  // a Cauchy with scale c
            for x in [-2.0, 0.5, 3] { #expect(sample.cdfMatches(at: x, 0.5 + atan(x / scale) / Double.pi)) }
        }
    }

    @Test("exponential: mean 1, variance 1")
    func exponential() {
        let sample = SampleStatistics(count: Self.sampleSize, seed: 10) { $0.exponential() }
        #expect(sample.meanMatches(1, variance: 1))
        #expect(sample.varianceMatches(1, fourthMoment: 9))
        #expect(sample.cdfMatches(at: 1, 1 - exp(-1)))
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-4 test vectors, including inputs crossing block boundaries")
    func vectors() {
        #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex(of: Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        var pieces = SHA256()
        pieces.update(Array("abcdbcdecdefdefgefghfghighijhijk".utf8))
        pieces.update(Array("ijkljklmklmnlmnomnopnopq".utf8))
        #expect(pieces.finalizeHex() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
