import Foundation

/// `emergent export RUN --weights`: a run's newest usable checkpoint as a weights file, its
/// tensors named and described as `initialize` names them, with the step and epoch it holds.
public enum RunWeights {
    /// Writes the run's weights as `<output>/<run>.safetensors` (output: `<run>/export`);
    /// returns the file's path and what it holds.
    public static func export(run path: String, output: String?) throws(UserError) -> (path: String, file: SafetensorsFile) {
        let file = try file(run: path)
        let folder = output ?? (path as NSString).appendingPathComponent("export")
        let target = (folder as NSString).appendingPathComponent((file.metadata["run"] ?? "run") + ".safetensors")
        do {
            try AtomicFile.makeFolder(folder)
            try AtomicFile.write(file.encoded(), to: target)
        } catch { throw UserError(error.description) }
        return (target, file)
    }

    /// The weights of the run folder at `path` (the data is loaded to rebuild its model).
    public static func file(run path: String) throws(UserError) -> SafetensorsFile {
        let resumed: ResumedExperiment
        do { resumed = try ResumedExperiment(paths: [path]) } catch { throw UserError(error.description) }
        guard resumed.runs.count == 1, let run = resumed.runs.first else {
            throw UserError("\(path) holds \(resumed.runs.count) runs; --weights exports one run folder at a time")
        }
        guard let checkpoint = run.choice.checkpoint else {
            throw UserError(
                "\(path) has no usable checkpoint yet (one is written at the end of each epoch)"
                    + (run.choice.refused.isEmpty ? "" : ": " + run.choice.refused.joined(separator: "; ")))
        }
        let data: ExperimentData
        do { data = try ExperimentData.load(resumed.experiment) } catch { throw UserError(error.description) }
        let trainer: Trainer
        do { trainer = try Trainer(config: run.config, data: data, checkpoint: checkpoint) } catch {
            throw UserError("\(run.choice.path ?? path): \(error.description)")
        }
        var file = InitializedWeights.file(
            store: trainer.task.store, statefulLayers: trainer.task.statefulLayers, architecture: run.config.settings.model, initializer: run.config.initializer,
            seed: run.config.seed, dataset: resumed.experiment.dataset,
            report: checkpoint.header.initReport ?? InitReport(layers: [], probeForwards: 0))
        file.metadata["step"] = String(checkpoint.step)
        file.metadata["epoch"] = String(checkpoint.epoch)
        file.metadata["run"] = run.folder.name
        return file
    }
}
