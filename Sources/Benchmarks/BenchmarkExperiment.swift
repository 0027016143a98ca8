import EmergentCore

/// The experiment a benchmark trains, with its data.
public enum BenchmarkExperiment {
    public static func load(_ nameOrPath: String) throws(UserError) -> (ExperimentConfig, ExperimentData) {
        do {
            let config = try ExperimentConfig.load(nameOrPath)
            return (config, try ExperimentData.load(config))
        } catch { throw UserError(error.description) }
    }
}
