/// Values the command line gave for experiment keys, each with the flag that gave it
/// (`--workers`, `--set optimizer.lr`), so that a value the experiment refuses is blamed on
/// its flag, not on the experiment file. Later entries win, as they are laid over last.
public struct CommandLineOverrides: Sendable {
    public private(set) var entries: [(flag: String, path: [String], value: JSONValue)] = []

    public init() {}

    /// A flag's value for the key at `path`; nothing when the flag was not given.
    public mutating func add(_ flag: String, _ path: [String], _ value: JSONValue?) {
        if let value { entries.append((flag, path, value)) }
    }

    /// A `--set KEY=VALUE`, parsed.
    public mutating func set(_ text: String) throws(ExperimentError) {
        let override = try ExperimentConfig.override(text)
        entries.append(("--set", override.path, override.value))
    }

    public var overrides: [(path: [String], value: JSONValue)] { entries.map { ($0.path, $0.value) } }

    /// Run entries the command line adds after the experiment's own (`--weights FILE`).
    public private(set) var addedRuns: [JSONValue] = []
    /// The added runs replace the experiment's (a sweep trains one entry, and with `--weights`
    /// that is the file's).
    public var addedRunsOnly = false

    /// The model and dataset of a weights file, and a run that starts from it: `--weights`.
    /// The dataset is the file's unless `--dataset` (added later) names another.
    public mutating func addWeightsRun(_ path: String) throws(UserError) {
        let file: SafetensorsFile, architecture: ModelConfig
        do {
            file = try SafetensorsFile.read(path: path)
            architecture = try WeightsLoader.architecture(of: file, path: path)
        } catch { throw UserError("--weights: \(error.description)") }
        add("--weights", ["model"], architecture.document)
        if let dataset = file.metadata["dataset"], DatasetCatalog.names.contains(dataset) {
            add("--weights", ["dataset"], .string(dataset))
        }
        addedRuns.append(.object([("weights", .string(path))]))
    }

    /// The experiment with these values laid over it, validated; a value a flag gave is refused
    /// as `--flag: reason` (`--set KEY: reason` for `--set`).
    public func load(_ nameOrPath: String) throws(ExperimentError) -> ExperimentConfig {
        let (added, only) = (addedRuns, addedRunsOnly)
        let adjust = { (document: JSONValue) -> JSONValue in
            guard !added.isEmpty else { return document }
            guard case let .array(runs)? = document["runs"], !only else { return document.setting(["runs"], to: .array(added)) }
            return document.setting(["runs"], to: .array(runs + added))
        }
        do { return try ExperimentConfig.load(nameOrPath, overrides: overrides, adjusting: adjust) } catch {
            guard case let .onCommandLine(key, path, message) = error,
                let entry = entries.last(where: { $0.path.joined(separator: ".") == key })
            else { throw error }
            throw .incompatible("\(entry.flag == "--set" ? "--set \(path)" : entry.flag): \(message)")
        }
    }
}
