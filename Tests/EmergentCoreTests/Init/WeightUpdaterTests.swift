@testable import EmergentCore
import Foundation
import Testing

@Suite("The emergent weight updater")
struct WeightUpdaterTests {
    @Test("h's gradient matches central differences of Σ weight·h(features)")
    func scaleNetworkGradient() {
        var generator = SeededRandom(seed: 3)
        var network = ScaleNetwork(inputs: 3, hidden: 4, bound: 1.5, using: &generator)
        // Move off the zero output layer so every parameter has a non-trivial derivative.
        network.adamStep((0..<network.parameterCount).map { Double($0 % 3) - 1 }, learningRate: 0.3)
        let rows: [[Double]] = [[0.2, -1, 0.5], [1.3, 0.4, -0.7]], weights = [0.8, -1.9]
        let analytic = network.gradient(features: rows, outputWeights: weights)
        func objective(_ net: ScaleNetwork) -> Double {
            zip(rows, weights).reduce(0) { $0 + $1.1 * net.forward($1.0).output }
        }
        for index in 0..<network.parameterCount {
            var plus = network, minus = network
            plus.perturb(index, by: 1e-6)
            minus.perturb(index, by: -1e-6)
            let numeric = (objective(plus) - objective(minus)) / 2e-6
            #expect(abs(numeric - analytic[index]) <= 1e-7 + 1e-6 * abs(numeric), "parameter \(index)")
        }
        // The output stays inside ±bound however large the raw value.
        #expect(abs(network.forward([100, 100, 100]).output) < 1.5)
    }

    static func scaled(_ tensor: Tensor, _ factor: Float) -> Tensor {
        Tensor(shape: tensor.shape, scalars: tensor.scalars.map { $0 * factor })
    }

    static func model(scale: Float) -> MLP {
        let model = MLP(MLPConfiguration(widths: [5, 8, 8, 3], activation: .relu))
        var generator = SeededRandom(seed: 1)
        try! InitializerSpec(parsing: "kaiming").apply(to: model, using: &generator)
        for layer in model.weightLayers {
            for i in 0..<layer.weight.count { model.store.value(layer.weight)[i] *= scale }
        }
        return model
    }

    @Test("the hypergradient ⟨∂L/∂W, W⟩ is the derivative of the loss in the layer's log-scale; steps respect the rate")
    func hypergradient() {
        let model = Self.model(scale: 1)
        var generator = SeededRandom(seed: 2)
        let inputs = Tensor.normal([16, 5], using: &generator), labels = (0..<16).map { $0 % 3 }
        func loss() -> Double {
            SoftmaxCrossEntropy()(logits: model.forward(inputs, mode: .training), targets: labels).loss
        }
        var settings = EmergentWeightUpdater.Settings()
        settings.rate = 0.01
        let updater = EmergentWeightUpdater(model: model, settings: settings, using: &generator)
        #expect(updater.scales.values.allSatisfy { $0 == 1 }, "a fresh h leaves every scale at 1")
        model.store.zeroGradients()
        let result = SoftmaxCrossEntropy()(logits: model.forward(inputs, mode: .training), targets: labels)
        model.backward(result.gradient)
        let before = model.weightLayers.map { model.store.tensor($0.weight) }
        let progress = try! #require(updater.observe(loss: result.loss))
        let after = model.weightLayers.map { model.store.tensor($0.weight) }
        // Restore, then check each hypergradient against the loss at W·e^(±ε).
        for (layer, weights) in zip(model.weightLayers, before) { model.store.set(layer.weight, to: weights) }
        for (index, layer) in model.weightLayers.enumerated() {
            let epsilon: Float = 1e-3
            model.store.set(layer.weight, to: Self.scaled(before[index], exp(epsilon)))
            let plus = loss()
            model.store.set(layer.weight, to: Self.scaled(before[index], exp(-epsilon)))
            let minus = loss()
            model.store.set(layer.weight, to: before[index])
            let numeric = (plus - minus) / (2 * Double(epsilon))
            #expect(abs(numeric - progress.hypergradients[index]) <= 2e-3 * max(abs(numeric), 0.1), "\(layer.name)")
            // The applied change is a pure rescale by e^(log-scale), at most `rate` per step.
            let ratio = Double(after[index].scalars[0] / before[index].scalars[0])
            #expect(abs(log(ratio) - updater.logScales[index]) < 1e-5)
            #expect(abs(updater.logScales[index]) <= 0.01 + 1e-12)
        }
        #expect(updater.logScales.contains { $0 != 0 }, "h learned from the first step")
    }

    @Test("a non-finite loss neither trains h nor moves the scales; h freezes after the warm-up")
    func divergenceAndFreeze() {
        let model = Self.model(scale: 1)
        var generator = SeededRandom(seed: 4)
        var settings = EmergentWeightUpdater.Settings()
        settings.warmupSteps = 2
        let updater = EmergentWeightUpdater(model: model, settings: settings, using: &generator)
        let weights = model.store.tensor(model.weightLayers[0].weight)
        _ = model.forward(Tensor.normal([4, 5], using: &generator), mode: .training)
        #expect(updater.observe(loss: .nan) != nil)
        #expect(updater.logScales.allSatisfy { $0 == 0 } && model.store.tensor(model.weightLayers[0].weight) == weights)
        #expect(updater.observe(loss: 1) != nil)
        #expect(!updater.isWarmingUp && updater.observe(loss: 1) == nil)
    }

    @Test("the emergence bonus's slopes: ln E rises with the scale of a mis-scaled net, weights restored bit for bit")
    func emergenceSlopes() {
        let model = Self.model(scale: 0.3)
        var generator = SeededRandom(seed: 5)
        let probe = Tensor.normal([64, 5], using: &generator)
        var settings = EmergentWeightUpdater.Settings()
        settings.emergenceBonus = 1
        settings.tau = 0.01
        let updater = EmergentWeightUpdater(
            model: model, settings: settings, probe: { _ = model.forward(probe, mode: .probe) },
            using: &generator)
        let before = model.store.tensor(model.weightLayers[1].weight)
        updater.measureEmergenceSlopes()
        #expect(model.store.tensor(model.weightLayers[1].weight) == before)
        let slopes = updater.emergenceSlopes
        #expect(slopes.count == 3 && slopes.reduce(0, +) > 0, "slopes \(slopes)")
        // Direct check of the first layer's slope from two probe measurements.
        func logE() -> Double {
            _ = model.forward(probe, mode: .probe)
            return ModelMeasurement(
                map: SignalMap(classifier: model), store: model.store, settings: try! EmergenceSettings(tau: 0.01)
            ).log10E * M_LN10
        }
        let view = model.weightLayers[0].weight, saved = model.store.tensor(view)
        model.store.set(view, to: Self.scaled(saved, Float(exp(0.1))))
        let plus = logE()
        model.store.set(view, to: Self.scaled(saved, Float(exp(-0.1))))
        let minus = logE()
        #expect(abs((plus - minus) / 0.2 - slopes[0]) < 1e-9)
    }

    @Test("bad input: bonus without a probe, out-of-range values, the transformer")
    func badInput() throws {
        var generator = SeededRandom(seed: 0)
        let spec = try InitializerSpec(parsing: "updater:bonus=0.5")
        #expect(throws: InitError.needsProbe(scheme: "updater")) {
            _ = try spec.makeWeightUpdater(for: Self.model(scale: 1), probe: nil, using: &generator)
        }
        #expect(
            try InitializerSpec(parsing: "kaiming").makeWeightUpdater(
                for: Self.model(scale: 1), probe: nil, using: &generator) == nil)
        for text in [
            "updater:base_scale=0", "updater:warmup=-1", "updater:rate=2", "updater:bonus=-1", "updater:base=zero",
        ] {
            #expect(throws: InitializerSpec.SpecError.self) { try InitializerSpec(parsing: text) }
        }
        let transformer = Transformer(
            TransformerConfiguration(
                vocabulary: 8, width: 8, heads: 2, encoderLayers: 1, decoderLayers: 1,
                feedForward: 16, maximumLength: 6))
        #expect(throws: InitError.self) {
            try InitializerSpec(parsing: "updater").apply(to: transformer, using: &generator)
        }
    }

    /// Trains the default MLP (784-256×6-10) on the embedded subset for `epochs` epochs
    /// with SGD 0.05, momentum 0.9, batch 128, seed 0; returns the test accuracy and the updater.
    static func train(_ initializer: String, epochs: Int) throws -> (accuracy: Double, updater: EmergentWeightUpdater?)
    {
        guard case let .images(splits) = try DatasetLoader.load("fashion-mnist-small") else {
            throw DatasetError.missingFile("fashion-mnist-small")
        }
        let model = MLP(.standard)
        var generator = SeededRandom(seed: 0)
        let spec = try InitializerSpec(parsing: initializer)
        try spec.apply(to: model, using: &generator)
        let updater = try spec.makeWeightUpdater(for: model, probe: nil, using: &generator)
        let optimizer = Optimizer(.sgd(momentum: 0.9))
        let schedule = EpochBatches(count: splits.train.count, batchSize: 128, seed: 1)
        for epoch in 0..<epochs {
            for indices in schedule.batches(epoch: epoch) {
                let batch = splits.train.batch(indices, normalization: splits.normalization)
                _ = ClassifierTraining.step(
                    model: model, inputs: batch.inputs, labels: batch.labels, optimizer: optimizer,
                    learningRate: 0.05, updater: updater)
            }
        }
        return (
            ClassifierTraining.evaluate(model: model, data: splits.test, normalization: splits.normalization).accuracy,
            updater
        )
    }

    /// The check: every layer × 0.3 (output × 0.3⁷ ≈ 2e-4) barely trains; the updater
    /// recovers scales near 1/0.3 and the accuracy of a Kaiming start. Tolerance: 3 points after
    /// 3 epochs (seed 0 gave 81.45 % against 82.35 %; over seeds 0–3 the means were 81.2 % and
    /// 82.0 %, with single-seed gaps up to 3.4 points either way at this evaluation noise).
    @Test("a mis-scaled MLP (every layer × 0.3) reaches a Kaiming start's accuracy with the updater")
    func rescuesMisScaledMLP() throws {
        let kaiming = try Self.train("kaiming", epochs: 3).accuracy
        let misScaled = try Self.train("kaiming:gain=0.424264", epochs: 3).accuracy
        let (rescued, updater) = try Self.train("updater:base_scale=0.3", epochs: 3)
        #expect(misScaled < kaiming - 0.10, "without learning, × 0.3 stays far behind: \(misScaled) vs \(kaiming)")
        #expect(rescued >= kaiming - 0.03, "rescued \(rescued) vs Kaiming \(kaiming)")
        let scales = try #require(updater).scales
        #expect(scales.values.allSatisfy { (1.3...10).contains($0) }, "learned scales \(scales)")
    }
}
