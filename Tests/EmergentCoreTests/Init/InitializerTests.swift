@testable import EmergentCore
import Foundation
import Testing

@Suite("Initialization schemes against their formulas")
struct InitializerTests {
    @discardableResult
    static func apply(
        _ spec: String, to model: some InitTarget, seed: UInt64 = 3, probe: (() -> Void)? = nil
    ) throws -> InitReport {
        var generator = SeededRandom(seed: seed)
        return try InitializerSpec(parsing: spec).apply(to: model, using: &generator, probe: probe)
    }

    static func values(_ model: some InitTarget, _ name: String) -> [Double] {
        model.store.tensor(model.store.view(named: name)!).scalars.map(Double.init)
    }

    @Test("gains: official ones, and the fixed points of initializers.md §1.1")
    func gains() {
        #expect(abs(Gains.secondMoment(.gelu) - 0.42522) < 5e-6)
        #expect(abs(Gains.fixedPoint(for: .gelu) - 1.5335) < 5e-5)
        #expect(abs(Gains.secondMoment(.silu) - 0.35578) < 5e-6)
        #expect(
            abs(Gains.fixedPoint(for: .silu) - 1.6765) < 5e-5
                && Gains.standard(for: .silu) == Gains.fixedPoint(for: .silu))
        #expect(abs(Gains.secondMoment(.tanh) - 0.39429) < 5e-6)
        #expect(abs(Gains.fixedPoint(for: .relu) - 2.0.squareRoot()) < 1e-9)
        #expect(Gains.standard(for: .tanh) == 5.0 / 3.0)
        #expect(abs(Gains.standard(for: .leakyRelu(slope: 0.5)) - (2 / 1.25).squareRoot()) < 1e-7)
    }

    @Test("kaiming's automatic gain follows the activation (GELU's fixed point)")
    func kaimingGain() throws {
        let model = MLP(MLPConfiguration(widths: [500, 400, 10], activation: .gelu))
        try Self.apply("kaiming", to: model)
        let w = Self.values(model, "dense1.weight")
        let variance = w.map { $0 * $0 }.reduce(0, +) / Double(w.count)
        let expected = pow(Gains.fixedPoint(for: .gelu), 2) / 500
        #expect(abs(variance - expected) < 5 * expected * (2.0 / Double(w.count)).squareRoot())
    }

    @Test("orthogonal: W·Wᵀ = gain²·I (wide) or Wᵀ·W (tall); delta-orthogonal: only the centre tap")
    func orthogonal() throws {
        let model = MLP(MLPConfiguration(widths: [30, 20, 40, 10]))
        try Self.apply("orthogonal:gain=1.5", to: model)
        for (name, rows, columns) in [("dense1.weight", 20, 30), ("dense2.weight", 40, 20)] {
            let w = Self.values(model, name)
            let small = min(rows, columns)
            for i in 0..<small {
                for j in 0..<small {
                    var dot = 0.0
                    if rows <= columns {
                        for k in 0..<columns { dot += w[i * columns + k] * w[j * columns + k] }
                    } else {
                        for k in 0..<rows { dot += w[k * columns + i] * w[k * columns + j] }
                    }
                    #expect(abs(dot - (i == j ? 2.25 : 0)) < 1e-5, "\(name) (\(i), \(j)) = \(dot)")
                }
            }
        }
        let cnn = CNN(CNNConfiguration(stages: [[4], [6]], head: [5], inputShape: [2, 8, 8], classes: 3))
        try Self.apply("orthogonal", to: cnn)
        let kernel = Self.values(cnn, "conv2.weight")  // [6, 4, 3, 3]
        for (index, value) in kernel.enumerated() where index % 9 != 4 { #expect(value == 0) }
        let centre = stride(from: 4, to: kernel.count, by: 9).map { kernel[$0] / 2.0.squareRoot() }
        for i in 0..<4 {
            for j in 0..<4 {
                let dot = (0..<6).reduce(0.0) { $0 + centre[$1 * 4 + i] * centre[$1 * 4 + j] }
                #expect(abs(dot - (i == j ? 1 : 0)) < 1e-5)
            }
        }
    }

    @Test("ZerO: partial identity when narrowing, scaled Hadamard when widening, both normalisations")
    func zero() throws {
        let model = MLP(MLPConfiguration(widths: [6, 4, 6, 3]))
        try Self.apply("zero", to: model)
        let narrowing = Self.values(model, "dense1.weight")  // 4×6
        for i in 0..<4 { for j in 0..<6 { #expect(narrowing[i * 6 + j] == (i == j ? 1 : 0)) } }
        let widening = Self.values(model, "dense2.weight")  // 6×4: m = 3, c = 2^(−3/2)
        let c = pow(2, -1.5)
        #expect(
            abs(widening[0] - c) < 1e-7 && abs(widening[1 * 4 + 1] + c) < 1e-7 && abs(widening[3 * 4 + 3] - c) < 1e-7)
        #expect(abs(widening[5 * 4 + 1] + c) < 1e-7)  // 5 & 1 = 1: odd popcount → −c
        try Self.apply("zero:normalization=relu", to: model)
        #expect(abs(Self.values(model, "dense2.weight")[0] - pow(2, -1.0)) < 1e-7)
        // Deterministic whatever the seed: the same weights and the same report rows.
        let report = try Self.apply("zero", to: model, seed: 1)
        let weights = Self.values(model, "dense2.weight")
        let again = try Self.apply("zero", to: model, seed: 2)
        #expect(report.layers == again.layers && Self.values(model, "dense2.weight") == weights)
    }

    @Test("fractional: empirical variance matches the exact σ², Gaussian and Student-t")
    func fractional() throws {
        let model = MLP(MLPConfiguration(widths: [64, 400, 10]))
        for spec in ["fractional:s=1", "fractional:s=1,distribution=student,nu=5"] {
            let report = try Self.apply(spec, to: model)
            let w = Self.values(model, "dense1.weight")
            let variance = w.map { $0 * $0 }.reduce(0, +) / Double(w.count)
            let expected = 2.039824 / 64
            // Student-t ν = 5 has kurtosis 9: its sample variance is noisier than a Gaussian's.
            let kurtosis = spec.contains("student") ? 9.0 : 3.0
            #expect(
                abs(variance - expected) < 5 * expected * ((kurtosis - 1) / Double(w.count)).squareRoot(),
                "\(spec): \(variance)")
            #expect(report.layers[0].reason.contains("2.03982"))
        }
    }

    @Test("emergence: α^idx per layer, β depth normalisation, block indexing only for transformers")
    func emergence() throws {
        let model = MLP(MLPConfiguration(widths: [8, 8, 8, 8, 8, 3]))
        let report = try Self.apply("emergence:beta=4", to: model)  // 5 layers: idx −2…2, α = 4^(1/2) = 2
        #expect(report.layers.map(\.scale) == [0.25, 0.5, 1, 2, 4])
        #expect(throws: InitError.self) { try Self.apply("emergence:indexing=block", to: model) }
        let transformer = Transformer(TransformerGradientTests.smallConfiguration())
        let layered = try Self.apply("emergence:alpha=2,indexing=layer", to: transformer)
        // 17 weight layers (6 encoder, 10 decoder, the head): indices −8…8.
        #expect(layered.layers.first { $0.name == "enc1.attn.q" }?.scale == pow(2, -8))
        #expect(layered.layers.first { $0.name == "head" }?.scale == pow(2, 8))
    }

    @Test("LSUV brings every layer's output variance to 1 within its tolerance")
    func lsuv() throws {
        let model = MLP(MLPConfiguration(widths: [20, 30, 30, 5], activation: .tanh))
        var generator = SeededRandom(seed: 8)
        let probe = Tensor.normal([256, 20], mean: 0.5, standardDeviation: 3, using: &generator)
        let report = try Self.apply("lsuv:tolerance=0.02", to: model) { _ = model.forward(probe, mode: .probe) }
        _ = model.forward(probe, mode: .probe)
        for layer in model.weightLayers {
            let output = layer.rawOutput.lastOutput
            #expect(abs(output.variance() - 1) < 0.05, "\(layer.name): \(output.variance())")
        }
        #expect(report.probeForwards >= 3 && report.probeForwards <= 30)
        #expect(throws: InitError.needsProbe(scheme: "lsuv")) { try Self.apply("lsuv", to: model) }
    }

    @Test("Fixup zeroes the classifier and residual branches; T-Fixup scales by depth; both refuse other models")
    func fixups() throws {
        let residual = MLP(MLPConfiguration(widths: [10, 16, 16, 16, 4], residual: true))
        let report = try Self.apply("fixup", to: residual)
        #expect(
            Self.values(residual, "dense2.weight").allSatisfy { $0 == 0 }
                && Self.values(residual, "dense4.weight").allSatisfy { $0 == 0 })
        #expect(Self.values(residual, "dense1.weight").contains { $0 != 0 })
        #expect(report.layers.map(\.scale) == [1, 0, 0, 0])
        #expect(throws: InitError.self) { try Self.apply("fixup", to: MLP(MLPConfiguration(widths: [4, 5, 3]))) }
        let cnn = CNN(CNNConfiguration(stages: [[2]], head: [], inputShape: [1, 4, 4], classes: 2))
        #expect { try Self.apply("fixup", to: cnn) } throws: { "\($0)".contains("no residual branches") }
        // A residual CNN: the second convolution of each stage is a branch.
        let residualCNN = CNN(
            CNNConfiguration(stages: [[4, 4], [6, 6]], head: [5], residual: true, inputShape: [1, 8, 8], classes: 3))
        let cnnReport = try Self.apply("fixup", to: residualCNN)
        #expect(cnnReport.layers.map(\.scale) == [1, 0, 1, 0, 1, 0])
        for name in ["conv2.weight", "conv4.weight", "fc2.weight"] {
            #expect(Self.values(residualCNN, name).allSatisfy { $0 == 0 }, "\(name)")
        }
        // He fan-out elsewhere: conv3 has fan-out 6·9, so variance 2/54.
        let conv3 = Self.values(residualCNN, "conv3.weight")
        let expected: Double = 2.0 / 54
        let meanSquare: Double = conv3.map { $0 * $0 }.reduce(0, +) / Double(conv3.count)
        // The mean square of n Gaussian draws has standard error σ²·√(2/n); allow 4 of them.
        let tolerance: Double = 4 * expected * (2.0 / Double(conv3.count)).squareRoot()
        #expect(abs(meanSquare - expected) < tolerance)
        #expect { try Self.apply("tfixup", to: cnn) } throws: { "\($0)".contains("does not apply to the cnn") }

        var configuration = TransformerGradientTests.smallConfiguration()
        configuration.encoderLayers = 3
        configuration.decoderLayers = 2
        let transformer = Transformer(configuration)
        let tfixup = try Self.apply("tfixup", to: transformer)
        let scale = Dictionary(uniqueKeysWithValues: tfixup.layers.map { ($0.name, $0.scale) })
        #expect(abs(scale["enc2.attn.v"]! - 0.67 * pow(3, -0.25)) < 1e-12 && scale["enc2.attn.q"] == 1)
        #expect(
            abs(scale["dec1.cross_attn.o"]! - pow(18, -0.25)) < 1e-12
                && abs(scale["dec2.ffn.l1"]! - pow(18, -0.25)) < 1e-12)
        let embedding = Self.values(transformer, "src_emb.weight")
        let std = (embedding.map { $0 * $0 }.reduce(0, +) / Double(embedding.count)).squareRoot()
        #expect(abs(std - pow(4, -0.5) * pow(27, -0.25)) < 0.35 * pow(4, -0.5) * pow(27, -0.25))  // 28 draws
    }
}
