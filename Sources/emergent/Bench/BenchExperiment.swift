import ArgumentParser
import EmergentCore

/// The experiment a benchmark trains, with its data; a bad name or file is a usage error.
enum BenchExperiment {
    static func load(_ nameOrPath: String) throws -> (ExperimentConfig, ExperimentData) {
        do {
            let config = try ExperimentConfig.load(nameOrPath)
            return (config, try ExperimentData.load(config))
        } catch { throw ValidationError(error.description) }
    }
}
