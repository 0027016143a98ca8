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
            return try WeightsInit.apply(file: file, path: path, to: model)
        }
    }
}
