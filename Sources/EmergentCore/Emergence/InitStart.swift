import Foundation

/// What gives a measured model its parameters: an initializer, or a weights file taken as it
/// is (`emergent measure --weights`), so a PyTorch init is measured as Emergent's own are.
public enum InitStart: Sendable {
    case initializer(InitializerSpec)
    /// The file's tensors, loaded whole into the model its metadata names.
    case weights(SafetensorsFile, path: String)

    /// The name the measurement's table gives it.
    public var name: String {
        switch self {
        case let .initializer(spec): spec.description
        case let .weights(_, path): "weights \((path as NSString).lastPathComponent)"
        }
    }

    /// Sets every parameter of `model`; the initializer's report, or for a file each weight's σ
    /// as loaded (scale 1).
    func apply(
        to model: some InitTarget, seed: UInt64, probe: @escaping () -> Void,
        batches: InitializerSpec.TrainingBatches? = nil, translationBatches: InitializerSpec.TranslationBatches? = nil
    ) throws -> InitReport {
        switch self {
        case let .initializer(spec):
            var generator = SeededRandom(seed: seed)
            return try spec.apply(
                to: model, using: &generator, probe: probe, batches: batches, translationBatches: translationBatches)
        case let .weights(file, path):
            try WeightsLoader.load(file, into: model.store, path: path)
            let store = model.store
            return InitReport(
                layers: model.weightsInOrder.map { layer in
                    InitReport.Layer(
                        name: layer.name,
                        standardDeviation: ClosedFormInit.standardDeviation(store.value(layer.weight), layer.weight.count),
                        scale: 1, reason: "as loaded from \((path as NSString).lastPathComponent)")
                }, probeForwards: 0)
        }
    }
}
