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
        /// What the initializer cost: probe passes, gradient evaluations and seconds (learned schemes).
        public let probeForwards: Int
        public let gradientEvaluations: Int
        public let seconds: Double
    }

    /// A classifier: forward (probe mode: batch statistics, nothing moved), loss, backward for the
    /// gradient norms, then the measurement. Update ratios are those of a first SGD step at
    /// `learningRate` (ΔW = rate·∇W).
    public static func classifier<Model: ClassifierModel & InitTarget>(
        _ model: Model, initializer: InitializerSpec, seed: UInt64, inputs: Tensor, labels: [Int],
        classes: Int, settings: EmergenceSettings, learningRate: Double, batches: InitializerSpec.TrainingBatches? = nil,
        initialized: (ParameterStore, InitReport) -> Void = { _, _ in }
    ) throws(InitError) -> Result {
        do {
            return try classifier(
                model, start: .initializer(initializer), seed: seed, inputs: inputs, labels: labels, classes: classes,
                settings: settings, learningRate: learningRate, batches: batches, initialized: initialized)
        } catch let error as InitError { throw error } catch { preconditionFailure("an initializer throws InitError: \(error)") }
    }

    /// The same, for a model given its parameters by `start` (an initializer or a weights file).
    public static func classifier<Model: ClassifierModel & InitTarget>(
        _ model: Model, start: InitStart, seed: UInt64, inputs: Tensor, labels: [Int],
        classes: Int, settings: EmergenceSettings, learningRate: Double, batches: InitializerSpec.TrainingBatches? = nil,
        initialized: (ParameterStore, InitReport) -> Void = { _, _ in }
    ) throws -> Result {
        let report = try start.apply(
            to: model, seed: seed, probe: { _ = model.forward(inputs, mode: .probe) }, batches: batches)
        initialized(model.store, report)
        // Probe mode: batch statistics, but no running-statistics update and no dropout.
        let loss = ClassifierTraining.forwardBackward(model: model, inputs: inputs, labels: labels, mode: .probe)
        let map = SignalMap(classifier: model)
        let measurement = ModelMeasurement(map: map, store: model.store, settings: settings)
        return Result(
            initializer: start.name, loss: loss.loss, logClasses: log(Double(classes)),
            measurement: measurement.with(
                scales: nodeScales(map, report, model),
                updateRatios: updateRatios(measurement, rate: learningRate)),
            probeForwards: report.probeForwards, gradientEvaluations: report.gradientEvaluations,
            seconds: report.seconds)
    }

    /// The transformer on a probe of token batches; padding targets are ignored.
    public static func transformer(
        _ model: Transformer, initializer: InitializerSpec, seed: UInt64, probe: TranslationBatch,
        settings: EmergenceSettings, learningRate: Double, batches: InitializerSpec.TranslationBatches? = nil,
        initialized: (ParameterStore, InitReport) -> Void = { _, _ in }
    ) throws(InitError) -> Result {
        do {
            return try transformer(
                model, start: .initializer(initializer), seed: seed, probe: probe, settings: settings,
                learningRate: learningRate, batches: batches, initialized: initialized)
        } catch let error as InitError { throw error } catch { preconditionFailure("an initializer throws InitError: \(error)") }
    }

    /// The same, for a transformer given its parameters by `start`.
    public static func transformer(
        _ model: Transformer, start: InitStart, seed: UInt64, probe: TranslationBatch,
        settings: EmergenceSettings, learningRate: Double, batches: InitializerSpec.TranslationBatches? = nil,
        initialized: (ParameterStore, InitReport) -> Void = { _, _ in }
    ) throws -> Result {
        let report = try start.apply(
            to: model, seed: seed,
            probe: { _ = model.forward(source: probe.source, targetInput: probe.targetInput, mode: .probe) },
            translationBatches: batches)
        initialized(model.store, report)
        let loss = TranslationTraining.forwardBackward(
            model: model, batch: probe, mode: .probe,
            loss: SoftmaxCrossEntropy(ignoreIndex: Int(CharacterTokenizer.padding)))
        let map = SignalMap(transformer: model)
        let measurement = ModelMeasurement(map: map, store: model.store, settings: settings)
        return Result(
            initializer: start.name, loss: loss.loss,
            logClasses: log(Double(model.configuration.vocabulary)),
            measurement: measurement.with(
                scales: nodeScales(map, report, model),
                updateRatios: updateRatios(measurement, rate: learningRate)),
            probeForwards: report.probeForwards, gradientEvaluations: report.gradientEvaluations,
            seconds: report.seconds)
    }

    /// Each node layer shows the scale the initializer gave the weight that feeds it
    /// (enc1.ffn ← enc1.ffn.l1.weight, dense3 ← dense3.weight).
    static func nodeScales(_ map: SignalMap, _ report: InitReport, _ model: some InitTarget) -> [String: Double] {
        let reportNames = Dictionary(
            model.weightsInOrder.map { ($0.weight.name, $0.name) }, uniquingKeysWith: { first, _ in first })
        let scales = report.scales
        var result: [String: Double] = [:]
        for layer in map.layers {
            if let name = reportNames[layer.weight.name], let scale = scales[name] { result[layer.name] = scale }
        }
        return result
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
