import Foundation

/// Where things live in a runs directory, and what `config.json` says about a run:
///
///     <root>/<experiment>-<yyyyMMdd-HHmmss>/experiment.json, summary.json
///     <root>/<experiment>-<yyyyMMdd-HHmmss>/<NN>-<label>-s<seed>/config.json, metrics.jsonl,
///         events.jsonl, checkpoints/epoch-<NNNN>[.step-<SSSSSSSS>].ckpt
public enum RunFolderLayout {
    public static let formatVersion = 1
    public static let experimentFile = "experiment.json"
    public static let summaryFile = "summary.json"
    public static let configFile = "config.json"
    public static let metricsFile = "metrics.jsonl"
    public static let eventsFile = "events.jsonl"
    public static let checkpointFolder = "checkpoints"
    /// Checkpoints kept per run: the newest, and the one before it in case the newest is damaged.
    public static let checkpointsKept = 2
    /// Where a run that starts again keeps the files of its earlier life: `before-restart-<time>/`.
    public static let setAsideFolder = "before-restart"

    /// The default root, and the config key and flag that set another.
    public static let defaultRoot = "runs"

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }

    /// A run's folder name: its place, its label in file-name-safe characters, and its seed.
    public static func runFolderName(index: Int, config: RunConfig) -> String {
        let safe = String(
            config.label.map { $0.isLetter || $0.isNumber || "._=-".contains($0) ? $0 : "-" }.prefix(60))
        return String(format: "%02d-", index) + safe + "-s\(config.seed)"
    }

    /// Whether `name` can only be a folder right inside the experiment folder: no path
    /// separators, not `.` or `..`, not hidden, and short enough for every file system.
    public static func isFolderName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && !name.hasPrefix(".") && !name.contains("/")
            && !name.utf8.contains(0)
    }

    public static func checkpointName(epoch: Int) -> String { String(format: "epoch-%04d.ckpt", epoch) }

    /// A checkpoint's file name: `epoch-NNNN.ckpt` at the end of epoch NNNN, and
    /// `epoch-NNNN.step-SSSSSSSS.ckpt` at step S inside the next one, which sorts after the
    /// epoch end it follows and before the next: names in order are checkpoints in order.
    public static func checkpointName(_ checkpoint: TrainerCheckpoint) -> String {
        guard (checkpoint.header.batchInEpoch ?? 0) > 0 else { return checkpointName(epoch: checkpoint.epoch) }
        return String(format: "epoch-%04d.step-%08d.ckpt", checkpoint.epoch, checkpoint.step)
    }

    /// The configuration in words that do not depend on the process (no dictionaries in
    /// hash order): equal exactly when two configurations train identically.
    public static func resolved(_ config: RunConfig) -> JSONValue {
        .object([
            ("label", .string(config.label)), ("seed", .number(Double(config.seed))),
            ("init", .string(config.initializer.description)),
            ("control_of", config.controlOf.map { .string($0.description) } ?? .null),
            ("settings", .string(String(describing: config.settings))),
        ])
    }

    /// `config.json`: the experiment document, the run's place in it and its edits, the
    /// resolved configuration, the data and the build.
    static func configDocument(
        id: Int, config: RunConfig, stepsPerEpoch: Int, experiment: ExperimentHeader
    ) -> JSONValue {
        .object(
            [
                ("format", .number(Double(formatVersion))),
                ("run", .number(Double(id))),
                ("label", .string(config.label)),
                ("seed", .number(Double(config.seed))),
                ("group", .number(Double(config.group))),
                ("entry", .number(Double(config.origin.entry))),
                ("edits", .array(config.origin.edits.map { .array($0.map(JSONValue.string)) })),
                ("steps_per_epoch", .number(Double(stepsPerEpoch))),
                ("resolved", resolved(config)),
            ] + experiment.members)
    }
}

/// What every run of an experiment shares in its `config.json` and `experiment.json`.
struct ExperimentHeader: Sendable {
    let name: String
    var document: JSONValue
    let dataset: String
    let datasetChecksum: String
    let created: Date

    var members: [(key: String, value: JSONValue)] {
        [
            ("experiment_name", .string(name)),
            ("experiment", document),
            ("dataset", .object([("name", .string(dataset)), ("sha256", .string(datasetChecksum))])),
            ("code_version", .string(BuildInfo.codeVersion)),
            ("swift_version", .string(BuildInfo.swiftVersion)),
            ("instruction_set", .string(BuildInfo.instructionSet)),
            ("created", .string(ISO8601DateFormatter().string(from: created))),
        ]
    }
}
