import Foundation

/// A model's parameters as a safetensors file Emergent and its PyTorch companion read: each
/// tensor under its dotted path (`dense1.weight`, `enc1.attn.q.weight`), float32, in the
/// model's order; the metadata says what built it, so the file can be rebuilt and checked.
public enum InitializedWeights {
    /// The `format` metadata value, and the version of the layout this build writes and reads.
    public static let format = "emergent-weights"
    public static let formatVersion = "1"

    /// The file of `store`'s parameters, then the BatchNorm running statistics of
    /// `statefulLayers` (a trained run's). `architecture` is the model as an experiment file
    /// describes it; `report` the initializer's per-layer scales and reasons.
    public static func file(
        store: ParameterStore, statefulLayers: [any Layer] = [], architecture: ModelConfig,
        initializer: InitializerSpec, seed: UInt64, dataset: String, report: InitReport
    ) -> SafetensorsFile {
        let parameters = store.views.map { view in
            SafetensorsFile.Tensor(
                name: view.name, shape: view.shape,
                values: Array(UnsafeBufferPointer(start: store.value(view), count: view.count)))
        }
        let layers = JSONValue.array(
            report.layers.map { layer in
                .object([
                    ("name", .string(layer.name)), ("std", .number(layer.standardDeviation, text: "\(layer.standardDeviation)")),
                    ("scale", .number(layer.scale, text: "\(layer.scale)")), ("reason", .string(layer.reason)),
                ])
            })
        return SafetensorsFile(
            tensors: parameters + RunningStatistics.tensors(of: statefulLayers),
            metadata: [
                "format": format, "format_version": formatVersion, "emergent_version": BuildInfo.codeVersion,
                "architecture": architecture.document.text(), "init": initializer.description, "seed": String(seed),
                "dataset": dataset, "layers": layers.text(),
            ])
    }
}
