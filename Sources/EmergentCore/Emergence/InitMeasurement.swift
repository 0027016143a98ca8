import Foundation

/// Emergence and layer statistics of a freshly initialized model on the probe batch: the
/// table `emergent measure` prints, and step 0 of every run.
public enum InitMeasurement {
    public struct Result: Sendable, Codable {
        public let initializer: String
        /// Loss on the probe at step 0, and ln(number of classes) to compare it with.
        public let loss: Double
        public let logClasses: Double
        public let measurement: ModelMeasurement
    }

    /// A classifier: forward (training mode: batch statistics), loss, backward for the
    /// gradient norms, then the measurement. Update ratios are those of a first SGD step at
    /// `learningRate` (ΔW = rate·∇W).
    public static func classifier<Model: ClassifierModel & InitTarget>(
        _ model: Model, initializer: InitializerSpec, seed: UInt64, inputs: Tensor, labels: [Int],
        classes: Int, settings: EmergenceSettings, learningRate: Double, batches: InitializerSpec.TrainingBatches? = nil
    ) throws(InitError) -> Result {
        var generator = SeededRandom(seed: seed)
        let scales = try initializer.apply(to: model, using: &generator, probe: { _ = model.forward(inputs, mode: .probe) },
                                           batches: batches).scales
        model.store.zeroGradients()
        let loss = SoftmaxCrossEntropy()(logits: model.forward(inputs, mode: .training), targets: labels)
        model.backward(loss.gradient)
        let measurement = ModelMeasurement(map: SignalMap(classifier: model), store: model.store, settings: settings)
        return Result(initializer: initializer.description, loss: loss.loss, logClasses: log(Double(classes)),
                      measurement: measurement.with(scales: scales, updateRatios: updateRatios(measurement, rate: learningRate)))
    }

    /// The transformer on a probe of token batches; padding targets are ignored.
    public static func transformer(
        _ model: Transformer, initializer: InitializerSpec, seed: UInt64, source: TokenBatch, targetInput: TokenBatch,
        targetOutput: [Int], settings: EmergenceSettings, learningRate: Double
    ) throws(InitError) -> Result {
        var generator = SeededRandom(seed: seed)
        let scales = try initializer.apply(to: model, using: &generator) {
            _ = model.forward(source: source, targetInput: targetInput, mode: .probe)
        }.scales
        model.store.zeroGradients()
        let loss = SoftmaxCrossEntropy(ignoreIndex: Int(CharacterTokenizer.padding))(
            logits: model.forward(source: source, targetInput: targetInput, mode: .training), targets: targetOutput)
        model.backward(loss.gradient)
        let measurement = ModelMeasurement(map: SignalMap(transformer: model), store: model.store, settings: settings)
        // Node layers show the scale of the weight that feeds them (enc1.ffn ← enc1.ffn.l1).
        var layerScales: [String: Double] = [:]
        for layer in measurement.layers {
            layerScales[layer.name] = scales[layer.name + ".l1"] ?? scales[layer.name.replacingOccurrences(of: ".out", with: ".ffn.l2")] ?? scales[layer.name]
        }
        return Result(initializer: initializer.description, loss: loss.loss,
                      logClasses: log(Double(model.configuration.vocabulary)),
                      measurement: measurement.with(scales: layerScales, updateRatios: updateRatios(measurement, rate: learningRate)))
    }

    /// log10(rate·‖∇W‖/‖W‖) per layer.
    static func updateRatios(_ measurement: ModelMeasurement, rate: Double) -> [String: Double] {
        var ratios: [String: Double] = [:]
        for layer in measurement.layers {
            let weightNorm = layer.weightRMS * Double(layer.shape.reduce(1, *)).squareRoot()
            guard weightNorm > 0, layer.gradientNorm > 0 else { continue }
            ratios[layer.name] = log10(rate * layer.gradientNorm / weightNorm)
        }
        return ratios
    }
}
