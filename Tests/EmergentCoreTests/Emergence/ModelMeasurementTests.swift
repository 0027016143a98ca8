@testable import EmergentCore
import Foundation
import Testing

@Suite("Emergence and statistics of real models")
struct ModelMeasurementTests {
    static let settings = try! EmergenceSettings()

    static func probe(features: Int = 12, count: Int = 32, seed: UInt64 = 4) -> (Tensor, [Int]) {
        var generator = SeededRandom(seed: seed)
        return (Tensor.normal([count, features], using: &generator), (0..<count).map { $0 % 3 })
    }

    static func mlpResult(
        _ spec: String, widths: [Int] = [12, 16, 16, 16, 3], residual: Bool = false, bias: Bool = true,
        settings: EmergenceSettings = settings
    ) -> (InitMeasurement.Result, MLP) {
        let model = MLP(MLPConfiguration(widths: widths, bias: bias, residual: residual))
        let (x, y) = probe(features: widths[0])
        let result = try! InitMeasurement.classifier(
            model, initializer: try! InitializerSpec(parsing: spec), seed: 9, inputs: x, labels: y,
            classes: widths.last!, settings: settings, learningRate: 0.1)
        return (result, model)
    }

    @Test("an MLP's E equals the closed form of its layers' active counts, and the statistics their formulas")
    func mlpConsistency() throws {
        let (result, model) = Self.mlpResult("kaiming")
        let m = result.measurement
        let nodes = model.weightLayers.map { layer -> Int in
            NodeActivity(layer.signal.lastOutput).meanMagnitude.filter { $0 > 0.05 }.count
        }
        let closed = EmergenceMeasure.layered(widths: [16, 16, 16, 3], active: nodes)
        #expect(abs(m.log10E - closed.log10E) < 1e-12)
        #expect(m.layers.map(\.activeFraction) == closed.activeFractions)
        // Live statistics sum Float partials per 4,096-element block into Double: relative
        // error ~1e-7 typical, far below 1e-5.
        let dense2 = model.store.tensor(model.weightLayers[1].weight)
        #expect(abs(m.layers[1].weightRMS - dense2.rms()) < 1e-5 * dense2.rms())
        let out = model.weightLayers[1].signal.lastOutput
        #expect(abs(m.layers[1].activationStd - out.variance().squareRoot()) < 1e-6)
        let gradientNorm = model.store.gradientTensor(model.weightLayers[1].weight).squaredNorm().squareRoot()
        #expect(abs(m.layers[1].gradientNorm - gradientNorm) < 1e-5 * gradientNorm)
        #expect(m.parameters == model.store.count)
        #expect(abs(m.log10Relative - (m.log10E - log10(Double(model.store.count)))) < 1e-12)
    }

    @Test("values at step 0 are the same for the same seed, whatever ran in between")
    func stable() {
        let first = Self.mlpResult("kaiming").0
        _ = Self.mlpResult("xavier")
        _ = Self.mlpResult("emergence:alpha=1.5")
        let again = Self.mlpResult("kaiming").0
        #expect(first.measurement == again.measurement && first.loss == again.loss)
    }

    @Test(
        "emergence scaling leaves a bias-free ReLU MLP's output unchanged, odd and even depth, and scales gradients by α^(−idx)",
        arguments: [[12, 16, 16, 3], [12, 16, 16, 16, 3]])
    func emergenceConsequences(widths: [Int]) {
        let base = Self.mlpResult("kaiming", widths: widths, bias: false).0
        let scaled = Self.mlpResult("emergence:alpha=1.3", widths: widths, bias: false).0
        #expect(abs(base.loss - scaled.loss) < 1e-5)
        let indices = InitializerSpec.symmetricIndices(count: widths.count - 1)
        for (layer, index) in zip(zip(base.measurement.layers, scaled.measurement.layers), indices) {
            #expect(abs(layer.1.scale! - pow(1.3, Double(index))) < 1e-12)
            #expect(
                abs(layer.1.gradientNorm * pow(1.3, Double(index)) - layer.0.gradientNorm) < 1e-4 * layer.0.gradientNorm
            )
        }
    }

    /// emergence.md §6.3 (2): with BatchNorm after every hidden layer, train-mode signals do not
    /// depend on per-layer weight scales (up to BN's ε); the unnormalised logits carry α^idx.
    @Test("with BatchNorm, emergence scaling leaves train-mode hidden signals unchanged (MLP and CNN)")
    func batchNormInvariance() throws {
        func signals(_ model: some ClassifierModel & InitTarget, _ spec: String, input: Tensor) throws -> [Tensor] {
            var generator = SeededRandom(seed: 21)
            try InitializerSpec(parsing: spec).apply(to: model, using: &generator)
            _ = model.forward(input, mode: .training)
            return model.weightLayers.map { $0.signal.lastOutput }
        }
        var generator = SeededRandom(seed: 22)
        let vectors = Tensor.normal([32, 12], using: &generator),
            images = Tensor.normal([8, 1, 8, 8], using: &generator)
        let mlpWidths = [12, 16, 16, 16, 3]
        let cases: [(base: [Tensor], scaled: [Tensor], indices: [Int])] = [
            (
                try signals(MLP(MLPConfiguration(widths: mlpWidths, batchNorm: true)), "kaiming", input: vectors),
                try signals(
                    MLP(MLPConfiguration(widths: mlpWidths, batchNorm: true)), "emergence:alpha=1.5", input: vectors),
                InitializerSpec.symmetricIndices(count: 4)
            ),
            (
                try signals(
                    CNN(
                        CNNConfiguration(
                            stages: [[4], [6]], head: [], batchNorm: true, inputShape: [1, 8, 8], classes: 3)),
                    "kaiming", input: images),
                try signals(
                    CNN(
                        CNNConfiguration(
                            stages: [[4], [6]], head: [], batchNorm: true, inputShape: [1, 8, 8], classes: 3)),
                    "emergence:alpha=1.5", input: images),
                InitializerSpec.symmetricIndices(count: 3)
            ),
        ]
        for (base, scaled, indices) in cases {
            for (a, b) in zip(base.dropLast(), scaled.dropLast()) {
                #expect(zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= 1e-3 * max(abs($0), 0.1) })
            }
            let factor = Float(pow(1.5, Double(indices.last!)))
            #expect(
                zip(base.last!.scalars, scaled.last!.scalars).allSatisfy {
                    abs($0 * factor - $1) <= 1e-3 * max(abs($1), 0.1)
                })
            // Without the invariance the scaled signals would differ by factors up to 1.5^2.
            #expect(zip(base.last!.scalars, scaled.last!.scalars).contains { abs($0 - $1) > 0.1 * abs($0) })
        }
    }

    @Test("symmetric indices: odd −N…N, even −N…−1, 1…N")
    func indices() {
        #expect(InitializerSpec.symmetricIndices(count: 5) == [-2, -1, 0, 1, 2])
        #expect(InitializerSpec.symmetricIndices(count: 4) == [-2, -1, 1, 2])
        #expect(InitializerSpec.symmetricIndices(count: 1) == [0])
        #expect(InitializerSpec.symmetricIndices(count: 2) == [-1, 1])
    }

    @Test("residual MLPs use identity edges and the general algorithm on the measured activity")
    func residualGraph() {
        let (residual, model) = Self.mlpResult("kaiming", residual: true)
        let map = SignalMap(classifier: model)
        #expect(
            map.connections.filter {
                if case .identity = $0.kind { return true }; return false
            }.count == 2)
        let layers = model.weightLayers.map { layer in
            EmergenceGraph.NodeLayer(
                name: layer.name, active: NodeActivity(layer.signal.lastOutput).meanMagnitude.map { $0 > 0.05 })
        }
        let expected = EmergenceMeasure.general(EmergenceGraph(layers: layers, connections: map.connections))
        #expect(!residual.measurement.log10E.isNaN)
        #expect(residual.measurement.log10E == expected.log10E)
    }

    @Test("the weight criterion judges nodes by mean |incoming weight|")
    func weightCriterion() throws {
        let tight = try EmergenceSettings(tau: 1e-6, criterion: .weight)
        let loose = try EmergenceSettings(tau: 10, criterion: .weight)
        #expect(Self.mlpResult("kaiming", settings: tight).0.measurement.layers.allSatisfy { $0.activeFraction == 1 })
        #expect(Self.mlpResult("kaiming", settings: loose).0.measurement.layers.allSatisfy { $0.activeFraction == 0 })
    }

    @Test("CNN nodes are channels")
    func cnnChannels() {
        let model = CNN(CNNConfiguration(stages: [[3], [5]], head: [4], inputShape: [1, 8, 8], classes: 3))
        var generator = SeededRandom(seed: 1)
        let x = Tensor.normal([6, 1, 8, 8], using: &generator)
        let result = try! InitMeasurement.classifier(
            model, initializer: try! InitializerSpec(parsing: "kaiming"), seed: 1, inputs: x,
            labels: [0, 1, 2, 0, 1, 2], classes: 3, settings: Self.settings, learningRate: 0.1)
        #expect(result.measurement.layers.map(\.name) == ["conv1", "conv2", "fc1", "fc2"])
        let fractions = result.measurement.layers.map(\.activeFraction)
        #expect(fractions[0] * 3 == (fractions[0] * 3).rounded() && fractions[1] * 5 == (fractions[1] * 5).rounded())
    }

    @Test("the transformer's feature-level graph: FFN units and block outputs, residual identity edges")
    func transformerGraph() {
        let model = Transformer(TransformerGradientTests.smallConfiguration())
        let result = try! InitMeasurement.transformer(
            model, initializer: try! InitializerSpec(parsing: "emergence:alpha=1.5"), seed: 2,
            probe: TranslationBatch(
                source: TransformerGradientTests.source, targetInput: TransformerGradientTests.targetInput,
                targetOutput: TransformerGradientTests.targetOutput),
            settings: Self.settings, learningRate: 0.1)
        #expect(result.measurement.layers.map(\.name) == ["enc1.ffn", "enc1.out", "dec1.ffn", "dec1.out", "head"])
        #expect(result.measurement.layers.map(\.scale) == [pow(1.5, -1), pow(1.5, -1), 1.5, 1.5, 1])
        #expect(!result.measurement.log10E.isNaN)
        #expect(abs(result.logClasses - log(7)) < 1e-12)
    }

    @Test("τ ≤ 0 or NaN, and empty or oversized probes, are refused with the valid range")
    func badInput() {
        #expect(throws: EmergenceError.invalidTau(0)) { try EmergenceSettings(tau: 0) }
        #expect(throws: EmergenceError.self) { try EmergenceSettings(tau: .nan) }
        #expect(EmergenceError.invalidTau(-1).description.contains("> 0"))
        #expect(throws: EmergenceError.emptyProbe) { try ProbeBatch.indices(size: 0, of: 10, experimentSeed: 1) }
        #expect(throws: EmergenceError.probeTooLarge(requested: 11, available: 10)) {
            try ProbeBatch.indices(size: 11, of: 10, experimentSeed: 1)
        }
        #expect(
            try! ProbeBatch.indices(size: 5, of: 100, experimentSeed: 3)
                == (try! ProbeBatch.indices(size: 5, of: 100, experimentSeed: 3)))
    }

    @Test(
        "initializer specs: parsing, defaults and errors naming the valid choices",
        arguments: [
            (
                "bogus",
                "choose one of: kaiming, xavier, default, orthogonal, zero, fractional, emergence, lsuv, fixup, tfixup, gradinit, nio, metainit, updater"
            ),
            ("gradinit:iterations=2.5", "a whole number in 1...10000"),
            ("gradinit:iterations=-1", "a whole number in 1...10000"),
            ("fractional:s=2.5", "a number in 0.1...2.0"),
            ("emergence:gamma=2", "valid: alpha, beta, base, indexing"),
            ("emergence:alpha=0", "0.01...100"),
            ("emergence:alpha=abc", "0.01...100"),
            ("kaiming:mode=sideways", "fan_in, fan_out"),
            ("default:gain=2", "it takes none"),
            ("emergence:alpha", "NAME[:KEY=VALUE"),
            ("", "NAME[:KEY=VALUE"),
        ])
    func specErrors(text: String, expected: String) {
        #expect { try InitializerSpec(parsing: text) } throws: { "\($0)".contains(expected) }
    }

    @Test("closed-form schemes have the variance of their formula")
    func variances() throws {
        let model = MLP(MLPConfiguration(widths: [400, 300, 10]))
        var generator = SeededRandom(seed: 5)
        let cases: [(String, Double)] = [
            ("kaiming", 2.0 / 400), ("xavier", 2.0 / 700), ("default", 1.0 / 1200),
            ("kaiming:mode=fan_out,distribution=uniform", 2.0 / 300),
        ]
        for (spec, expected) in cases {
            try InitializerSpec(parsing: spec).apply(to: model, using: &generator)
            let w = model.store.tensor(model.weightLayers[0].weight)
            // Sample variance of n = 120,000 draws: standard error ≈ σ²·√(2/n) (normal) or less (uniform).
            let tolerance = 5 * expected * (2.0 / Double(w.count)).squareRoot()
            #expect(abs(w.squaredNorm() / Double(w.count) - expected) < tolerance, "\(spec)")
        }
    }
}

@Suite("Probe passes")
struct ProbePassTests {
    @Test("a probe pass uses batch statistics but leaves running statistics and dropout alone")
    func probeMode() {
        let store = ParameterStore()
        let norm = BatchNorm("bn", features: 2, store: store)
        let x = Tensor(shape: [3, 2], scalars: [1, 5, 2, 6, 3, 7])
        let probed = norm.forward(x, mode: .probe)
        #expect(norm.runningMean == [0, 0] && norm.runningVariance == [1, 1])
        #expect(probed == norm.forward(x, mode: .training))
        #expect(norm.runningMean != [0, 0])
        let dropout = Dropout(rate: 0.5, generator: SeededRandom(seed: 1))
        #expect(dropout.forward(x, mode: .probe) == x)
    }

    @Test("node activity of images pools each channel over samples and positions")
    func channelActivity() {
        // 2 samples × 2 channels × 2×2: channel 0 all 0 (dead), channel 1 values ±1 and 0.5.
        let values: [Float] = [
            0, 0, 0, 0, 1, -1, 0.5, 0.5,
            0, 0, 0, 0, -1, 1, 0.5, 0.5,
        ]
        let activity = NodeActivity(Tensor(shape: [2, 2, 2, 2], scalars: values))
        #expect(activity.meanMagnitude == [0, 0.75])
        #expect(activity.alwaysZero == [true, false])
        #expect(abs(activity.saturatedFraction - 4.0 / 16) < 1e-12)
        #expect(abs(activity.mean - 2.0 / 16) < 1e-12)
    }
}
