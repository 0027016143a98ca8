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

    /// The experiment with these values laid over it, validated; a value a flag gave is refused
    /// as `--flag: reason` (`--set KEY: reason` for `--set`).
    public func load(_ nameOrPath: String) throws(ExperimentError) -> ExperimentConfig {
        do { return try ExperimentConfig.load(nameOrPath, overrides: overrides) } catch {
            guard case let .onCommandLine(key, path, message) = error,
                let entry = entries.last(where: { $0.path.joined(separator: ".") == key })
            else { throw error }
            throw .incompatible("\(entry.flag == "--set" ? "--set \(path)" : entry.flag): \(message)")
        }
    }
}
