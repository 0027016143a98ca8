import Foundation

/// A run that starts from a weights file (an experiment entry's `"weights"`, `--weights`): the
/// init spec that loads it, the run's label, and the check that the file fits the run's model,
/// made when the experiment is read, so a file that does not fit is refused before anything trains.
public enum WeightsStart {
    /// `weights:file=PATH` with PATH absolute, so a run folder names the file wherever the run
    /// is resumed from. A comma would end the spec's value, so a path holding one is refused.
    static func initText(_ path: String, key: String) throws(ExperimentError) -> String {
        guard !path.isEmpty, !path.contains(",") else {
            throw .invalid(
                path: key,
                message: path.isEmpty
                    ? "expected the path of a .safetensors file"
                    : "'\(EchoedValue.clipped(path))' holds a comma; rename or link the file to a path without one")
        }
        let absolute =
            path.hasPrefix("/")
            ? path
            : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return "weights:file=" + (absolute as NSString).standardizingPath
    }

    /// Refuses a file that cannot be read or whose architecture is not `model` (dropout aside:
    /// it has no parameters).
    static func check(_ path: String, fits model: ModelConfig, key: String) throws(ExperimentError) {
        let architecture: ModelConfig
        do {
            architecture = try WeightsLoader.architecture(of: try SafetensorsFile.read(path: path), path: path)
        } catch { throw .invalid(path: key, message: error.description) }
        guard architecture.withoutDropout == model.withoutDropout else {
            throw .invalid(
                path: key,
                message: "\(path) holds the model \(architecture.document.text()); this run's model is "
                    + "\(model.document.text()); give the run the file's model (emergent dash --weights FILE does)")
        }
    }
}
