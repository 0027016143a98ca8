/// BatchNorm's running statistics in a weights file, under PyTorch's buffer names
/// (`bn2.running_mean`, `bn2.running_var`): a trained model evaluates with them, so an exported
/// run gives PyTorch's `eval()` the outputs Emergent's evaluation gives. They are optional in a
/// file (an init's are the defaults, mean 0 and variance 1), but come in pairs of the right size.
enum RunningStatistics {
    static let suffixes = [".running_mean", ".running_var"]

    /// The statistics of every BatchNorm among `layers` (a task's stateful layers).
    static func tensors(of layers: [any Layer]) -> [SafetensorsFile.Tensor] {
        layers.compactMap { $0 as? BatchNorm }.flatMap { norm in
            [
                SafetensorsFile.Tensor(name: norm.name + suffixes[0], shape: [norm.features], values: norm.runningMean),
                SafetensorsFile.Tensor(name: norm.name + suffixes[1], shape: [norm.features], values: norm.runningVariance),
            ]
        }
    }

    /// The statistics tensors the BatchNorms among `layers` may have in a file.
    static func names(of layers: [any Layer]) -> Set<String> {
        Set(layers.compactMap { $0 as? BatchNorm }.flatMap { norm in suffixes.map { norm.name + $0 } })
    }

    /// Each BatchNorm's statistics from the file where it has them, to be set by the caller once
    /// every tensor is checked; refuses half a pair or a size that is not the layer's.
    static func read(
        from file: SafetensorsFile, for layers: [any Layer], path: String
    ) throws(WeightsError) -> [(norm: BatchNorm, mean: [Float], variance: [Float])] {
        var found: [(norm: BatchNorm, mean: [Float], variance: [Float])] = []
        for norm in layers.compactMap({ $0 as? BatchNorm }) {
            let pair = suffixes.map { file.tensor(named: norm.name + $0) }
            guard let mean = pair[0], let variance = pair[1] else {
                if let half = pair.compactMap({ $0 }).first {
                    throw WeightsError(
                        path: path,
                        "tensor '\(half.name)' comes without its pair; a BatchNorm's running_mean and running_var come together")
                }
                continue
            }
            for tensor in [mean, variance] where tensor.shape != [norm.features] {
                throw WeightsError(
                    path: path, "tensor '\(tensor.name)' has shape \(tensor.shape); the model's is [\(norm.features)]")
            }
            found.append((norm, mean.values, variance.values))
        }
        return found
    }
}
