@testable import EmergentCore
import Foundation
import Testing

@Suite("Fractional moment-preserving initialization")
struct FractionalMomentTests {
    /// σ²·d anchors of initializers.md §4 (exact values, 6–7 digits).
    @Test(
        "the σ²·d anchors",
        arguments: [
            (64, 0.5, "relu", 2.060548), (64, 0.8, "relu", 2.048046), (64, 1.0, "relu", 2.039824),
            (64, 1.5, "relu", 2.019651),
            (16, 1.0, "relu", 2.169179), (64, 1.0, "linear", 1.007843), (16, 1.0, "leaky0.5", 1.67703),
        ])
    func anchors(d: Int, s: Double, kind: String, expected: Double) {
        let nonlinearity: FractionalMoment.Nonlinearity =
            kind == "relu" ? .relu : kind == "linear" ? .linear : .leakyRelu(slope: 0.5)
        let value = FractionalMoment.variance(width: d, order: s, nonlinearity: nonlinearity) * Double(d)
        #expect(abs(value - expected) < 6e-6 * expected, "\(kind) d=\(d) s=\(s): \(value) vs \(expected)")
    }

    @Test("s = 2 gives He and LeCun: 2/d, 1/d, 2/((1+a²)d)")
    func secondMoment() {
        #expect(abs(FractionalMoment.variance(width: 50, order: 2, nonlinearity: .relu) * 50 - 2) < 1e-9)
        #expect(abs(FractionalMoment.variance(width: 50, order: 2, nonlinearity: .linear) * 50 - 1) < 1e-9)
        #expect(
            abs(FractionalMoment.variance(width: 50, order: 2, nonlinearity: .leakyRelu(slope: 0.2)) * 50 - 2 / 1.04)
                < 1e-9)
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
            let randomized = FractionalMoment.variance(
                width: 12, order: s, nonlinearity: .randomizedLeakyRelu(lower: 0.3, upper: 0.3))
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
        #expect(
            abs(
                FractionalMoment.studentAbsoluteMoment(order: 1, degreesOfFreedom: 5) - 5.0.squareRoot()
                    / (Double.pi.squareRoot() * tgamma(2.5))) < 1e-12)
    }
}

@Suite("Fractional moment: the α-stable extension")
struct StableFractionalTests {
    @Test("the moment formula: Gaussian at α = 2, Cauchy at α = 1, and z = Σ W_j x_j ~ SαS(c·‖x‖_α) by sampling")
    func stableSums() {
        // α = 2: SαS(c) is N(0, 2c²), E|X|^s = (c√2)^s·2^(s/2)·Γ((1+s)/2)/√π.
        let gaussian = pow(0.7 * 2.0.squareRoot(), 0.8) * pow(2, 0.4) * tgamma(0.9) / Double.pi.squareRoot()
        #expect(abs(FractionalMoment.stableAbsoluteMoment(order: 0.8, alpha: 2, scale: 0.7) - gaussian) < 1e-12)
        // α = 1 (Cauchy): E|X|^s = c^s / cos(πs/2).
        #expect(
            abs(
                FractionalMoment.stableAbsoluteMoment(order: 0.5, alpha: 1, scale: 2) - pow(2, 0.5) / cos(Double.pi / 4)
            ) < 1e-12)
        let x = [0.5, -1.2, 2.0, 0.3], alpha = 1.5, c = 0.4
        let norm = pow(x.reduce(0) { $0 + pow(abs($1), alpha) }, 1 / alpha)
        let sums = SampleStatistics(count: 100_000, seed: 9) { generator in
            pow(abs(x.reduce(0) { $0 + $1 * generator.symmetricStable(alpha: alpha, scale: c) }), 0.5)
        }
        // 2s = 1 < α, so |z|^0.5 has a finite variance and the usual standard error applies.
        #expect(
            sums.meanMatches(
                FractionalMoment.stableAbsoluteMoment(order: 0.5, alpha: alpha, scale: c * norm),
                variance: sums.variance))
    }

    @Test(
        "calibration: every layer's E|z|^s on the probe equals the first layer's; s ≥ α and a missing probe are refused"
    )
    func calibration() throws {
        let model = MLP(MLPConfiguration(widths: [20, 64, 64, 64, 5]))
        var generator = SeededRandom(seed: 12)
        let probe = Tensor.normal([128, 20], using: &generator)
        let spec = try InitializerSpec(parsing: "fractional:distribution=stable,stable_alpha=1.6,s=0.7")
        let report = try spec.apply(to: model, using: &generator, probe: { _ = model.forward(probe, mode: .probe) })
        _ = model.forward(probe, mode: .probe)
        let moments = model.weightLayers.map { StableFractional.absoluteMoment($0.rawOutput.lastOutput, order: 0.7) }
        for moment in moments.dropFirst() { #expect(abs(moment / moments[0] - 1) < 1e-3, "\(moments)") }
        // The first layer keeps c = fan_in^(−1/α); one measuring pass plus one rescale and one check per later layer.
        #expect(report.layers[0].scale == 1 && report.probeForwards == 1 + 2 * 3)
        #expect(report.layers.dropFirst().allSatisfy { $0.scale != 1 && $0.reason.contains("extension") })
        #expect(throws: InitError.needsProbe(scheme: "fractional")) { try spec.apply(to: model, using: &generator) }
        #expect { try InitializerSpec(parsing: "fractional:distribution=stable,s=1.8") } throws: {
            "\($0)".contains("below stable_alpha = 1.8")
        }
    }
}
