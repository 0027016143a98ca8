@testable import EmergentCore
import Foundation
import Testing

@Suite("Fractional moment-preserving initialization")
struct FractionalMomentTests {
    /// σ²·d anchors of initializers.md §4 (exact values, 6–7 digits).
    @Test("the σ²·d anchors", arguments: [
        (64, 0.5, "relu", 2.060548), (64, 0.8, "relu", 2.048046), (64, 1.0, "relu", 2.039824), (64, 1.5, "relu", 2.019651),
        (16, 1.0, "relu", 2.169179), (64, 1.0, "linear", 1.007843), (16, 1.0, "leaky0.5", 1.67703),
    ])
    func anchors(d: Int, s: Double, kind: String, expected: Double) {
        let nonlinearity: FractionalMoment.Nonlinearity = kind == "relu" ? .relu : kind == "linear" ? .linear : .leakyRelu(slope: 0.5)
        let value = FractionalMoment.variance(width: d, order: s, nonlinearity: nonlinearity) * Double(d)
        #expect(abs(value - expected) < 6e-6 * expected, "\(kind) d=\(d) s=\(s): \(value) vs \(expected)")
    }

    @Test("s = 2 gives He and LeCun: 2/d, 1/d, 2/((1+a²)d)")
    func secondMoment() {
        #expect(abs(FractionalMoment.variance(width: 50, order: 2, nonlinearity: .relu) * 50 - 2) < 1e-9)
        #expect(abs(FractionalMoment.variance(width: 50, order: 2, nonlinearity: .linear) * 50 - 1) < 1e-9)
        #expect(abs(FractionalMoment.variance(width: 50, order: 2, nonlinearity: .leakyRelu(slope: 0.2)) * 50 - 2 / 1.04) < 1e-9)
    }

    @Test("the leaky integral equals the exact ReLU sum at slope 0 and the linear form at slope 1")
    func integralAgainstClosedForms() {
        for s in [0.6, 1.2] {
            let relu = FractionalMoment.variance(width: 12, order: s, nonlinearity: .relu)
            let leakyZero = FractionalMoment.variance(width: 12, order: s, nonlinearity: .leakyRelu(slope: 0))
            #expect(abs(leakyZero - relu) < 1e-7 * relu)
            let linear = FractionalMoment.variance(width: 12, order: s, nonlinearity: .linear)
            let leakyOne = FractionalMoment.variance(width: 12, order: s, nonlinearity: .leakyRelu(slope: 1))
            #expect(abs(leakyOne - linear) < 1e-7 * linear)
            // Randomized leaky with a degenerate slope range is plain leaky.
            let randomized = FractionalMoment.variance(width: 12, order: s, nonlinearity: .randomizedLeakyRelu(lower: 0.3, upper: 0.3))
            let leaky = FractionalMoment.variance(width: 12, order: s, nonlinearity: .leakyRelu(slope: 0.3))
            #expect(abs(randomized - leaky) < 1e-7 * leaky)
        }
    }

    @Test("the preserved moment holds by Monte Carlo through a ReLU layer")
    func monteCarlo() {
        // ‖x_k‖^s/‖x_{k−1}‖^s = σ^s·Y^{s/2} with Y ~ χ²_B: its mean must be 1.
        let d = 8, s = 0.8
        let sigma = FractionalMoment.variance(width: d, order: s, nonlinearity: .relu).squareRoot()
        let sample = SampleStatistics(count: 200_000, seed: 21) { generator in
            var y = 0.0
            for _ in 0..<d { let z = generator.normal(); if z > 0 { y += z * z } }
            return pow(sigma, s) * pow(y, s / 2)
        }
        #expect(sample.meanMatches(1, variance: sample.variance))
    }

    @Test("heavy-tailed moment formulas match sampling")
    func heavyTails() {
        let stable = SampleStatistics(count: 200_000, seed: 22) { abs($0.symmetricStable(alpha: 1.5, scale: 0.7)) }
        let expected = FractionalMoment.stableAbsoluteMoment(order: 0.5, alpha: 1.5, scale: 0.7)
        let powered = stable.values.map { pow($0, 0.5) }
        let mean = powered.reduce(0, +) / Double(powered.count)
        let variance = powered.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(powered.count)
        #expect(abs(mean - expected) < 5 * (variance / Double(powered.count)).squareRoot())
        // Student-t ν = 5, s = 1: E|T| = √5·Γ(1)·Γ(2)/(√π·Γ(2.5)).
        #expect(abs(FractionalMoment.studentAbsoluteMoment(order: 1, degreesOfFreedom: 5) - 5.0.squareRoot() / (Double.pi.squareRoot() * tgamma(2.5))) < 1e-12)
    }
}
