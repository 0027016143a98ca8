import Foundation

/// Weights from a safetensors file into a model built for them: the file's architecture (its
/// metadata) says what to build, and every parameter of that model must be in the file under
/// its dotted path with its shape, and nothing else, so a file of another model or another
/// layout is refused rather than half loaded.
public enum WeightsLoader {
    /// The model the file's metadata describes; refuses another format's version, naming it.
    public static func architecture(of file: SafetensorsFile, path: String) throws(WeightsError) -> ModelConfig {
        if let version = file.metadata["format_version"], version != InitializedWeights.formatVersion {
            throw WeightsError(
                path: path,
                "its weights layout is version \(version); this emergent reads version \(InitializedWeights.formatVersion) "
                    + "(written by \(file.metadata["emergent_version"] ?? "another emergent"))")
        }
        guard let text = file.metadata["architecture"] else {
            throw WeightsError(
                path: path,
                "its metadata has no 'architecture' (the model as an experiment file's \"model\" object); "
                    + "write it with emergent or the PyTorch companion's save()")
        }
        do {
            return try ModelConfig(parsing: try JSONParser.parse(text))
        } catch let error as JSONParser.SyntaxError {
            throw WeightsError(path: path, "its metadata's architecture is not JSON: \(error.description)")
        } catch {
            throw WeightsError(path: path, "its metadata's architecture is not a model: \(error)")
        }
    }

    /// Copies the file's tensors into `store`, and BatchNorm running statistics into the
    /// BatchNorms among `statefulLayers` where the file has them; refuses a missing, extra or
    /// misshapen tensor before anything changes.
    public static func load(
        _ file: SafetensorsFile, into store: ParameterStore, statefulLayers: [any Layer] = [], path: String
    ) throws(WeightsError) {
        let byName = Dictionary(file.tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for view in store.views {
            guard let tensor = byName[view.name] else {
                throw WeightsError(
                    path: path,
                    "tensor '\(view.name)' (shape \(view.shape)) of the model is not in the file; it holds "
                        + "\(file.tensors.count) tensors, as \(file.tensors.prefix(3).map(\.name).joined(separator: ", "))")
            }
            guard tensor.shape == view.shape else {
                throw WeightsError(
                    path: path, "tensor '\(view.name)' has shape \(tensor.shape); the model's is \(view.shape)")
            }
        }
        let statistics = try RunningStatistics.read(from: file, for: statefulLayers, path: path)
        let known = Set(store.views.map(\.name)).union(RunningStatistics.names(of: statefulLayers))
        if let extra = file.tensors.first(where: { !known.contains($0.name) }) {
            throw WeightsError(
                path: path, "tensor '\(extra.name)' is not a parameter of the model the file describes (\(store.views.count) parameters)")
        }
        for view in store.views where view.count > 0 {
            byName[view.name]!.values.withUnsafeBufferPointer {
                store.value(view).update(from: $0.baseAddress!, count: view.count)
            }
        }
        for (norm, mean, variance) in statistics { norm.restoreRunningStatistics(mean: mean, variance: variance) }
    }
}
