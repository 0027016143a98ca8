import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A run folder read from disk: its `config.json`, the complete records of its logs (a
/// half-written last line is left for later, so a folder another process is still writing
/// reads cleanly), and its checkpoints. The one reader behind `resume`, `view` and `export`.
public struct RunFolder: Sendable {
    public let path: String
    public let config: JSONValue
    public private(set) var metrics: [MetricRecord] = []
    public private(set) var events: [RecordedEvent] = []
    private var metricsLog: JSONLines
    private var eventsLog: JSONLines
    /// Whether `follow()` adds what it reads to `metrics` and `events` (a follower that folds
    /// records into a picture as they come need not keep them twice).
    public private(set) var retainsRecords = true

    /// Reads the folder; refused with the file and the reason when it is not a run folder or
    /// a record in the middle of a log is corrupt.
    public init(path: String) throws(RunFolderError) {
        self.path = path
        let configPath = (path as NSString).appendingPathComponent(RunFolderLayout.configFile)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notARunFolder(path: path, reason: "it is not a folder")
        }
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw .notARunFolder(path: path, reason: "it has no \(RunFolderLayout.configFile)")
        }
        let text: String
        switch TextFile.read(configPath) {
        case let .success(read): text = read
        case let .failure(refusal): throw .unreadable(path: configPath, reason: refusal.reason)
        }
        do { config = try JSONParser.parse(text) } catch {
            throw .invalidConfig(path: configPath, reason: error.description)
        }
        guard case .object = config, config["format"]?.numberValue == Double(RunFolderLayout.formatVersion),
            config["experiment"] != nil, config["steps_per_epoch"]?.numberValue != nil
        else {
            throw .invalidConfig(
                path: configPath,
                reason: "it is not a run configuration of format \(RunFolderLayout.formatVersion) (written by emergent)"
            )
        }
        metricsLog = JSONLines(path: (path as NSString).appendingPathComponent(RunFolderLayout.metricsFile))
        eventsLog = JSONLines(path: (path as NSString).appendingPathComponent(RunFolderLayout.eventsFile))
        _ = try follow()
    }

    /// Reads what was appended since the last read; returns the new records.
    @discardableResult
    public mutating func follow() throws(RunFolderError) -> (metrics: [MetricRecord], events: [RecordedEvent]) {
        var newMetrics: [MetricRecord] = []
        var newEvents: [RecordedEvent] = []
        if FileManager.default.fileExists(atPath: metricsLog.path) {
            newMetrics = try metricsLog.readNew(fast: MetricRecord.init(fastLine:), general: MetricRecord.init)
        }
        if FileManager.default.fileExists(atPath: eventsLog.path) {
            for (line, value) in try eventsLog.readNew() {
                do { newEvents.append(try RecordedEvent(value)) } catch {
                    throw .corruptLine(path: eventsLog.path, line: line, reason: error.reason)
                }
            }
        }
        if retainsRecords {
            metrics += newMetrics
            events += newEvents
        }
        return (newMetrics, newEvents)
    }

    /// Drops the records read so far and keeps none of the later ones.
    public mutating func stopRetainingRecords() {
        retainsRecords = false
        metrics = []
        events = []
    }

    /// Whether a log ended in a half-written line at the last read (a kill, or a writer mid-append).
    public var hasPartialTail: Bool { metricsLog.hasPartialTail || eventsLog.hasPartialTail }

    /// Whether the run's events say it ended (finished, diverged, cancelled or failed).
    public var hasEnded: Bool {
        events.contains { ["finished", "diverged", "cancelled", "failed"].contains($0.kind) }
    }

    public var label: String { if case let .string(text)? = config["label"] { text } else { name } }
    public var name: String { (path as NSString).lastPathComponent }
    // Whole numbers only (Int(exactly:)): a damaged file's 1e300 or NaN must not trap.
    public var seed: UInt64 { config["seed"]?.numberValue.flatMap { UInt64(exactly: $0) } ?? 0 }
    public var group: Int { config["group"]?.numberValue.flatMap { Int(exactly: $0) } ?? 0 }
    public var stepsPerEpoch: Int { max(config["steps_per_epoch"]?.numberValue.flatMap { Int(exactly: $0) } ?? 1, 1) }
    public var experimentName: String {
        if case let .string(text)? = config["experiment_name"] { text } else { "experiment" }
    }

    /// The run's configuration, rebuilt from its experiment document, its place and its
    /// edits, and checked against the configuration the folder recorded. `checkingData`
    /// false drops `data_dir` (a folder from another machine can be viewed without its data).
    public func runConfig(checkingData: Bool = true) throws(RunFolderError) -> RunConfig {
        let configPath = (path as NSString).appendingPathComponent(RunFolderLayout.configFile)
        guard var document = config["experiment"], let entry = config["entry"]?.numberValue.flatMap({ Int(exactly: $0) })
        else {
            throw .invalidConfig(path: configPath, reason: "it lacks \"experiment\" or \"entry\"")
        }
        if !checkingData, case let .object(members) = document {
            document = .object(members.filter { $0.key != "data_dir" })
        }
        let experiment: ExperimentConfig
        do { experiment = try ExperimentConfig.parse(document, defaultName: experimentName) } catch {
            throw .invalidConfig(path: configPath, reason: "its experiment is not valid here: \(error.description)")
        }
        guard entry >= 0, entry < experiment.runs.count else {
            throw .invalidConfig(
                path: configPath,
                reason: "entry \(entry) is not one of the experiment's \(experiment.runs.count) runs")
        }
        var rebuilt = experiment.runs[entry]
        if case let .array(edits)? = config["edits"] {
            for edit in edits {
                guard case let .array(items) = edit else { continue }
                let words = items.compactMap { if case let .string(word) = $0 { word } else { nil } }
                do { rebuilt = try RunEdit(parsing: words).applied(to: rebuilt, newGroup: group) } catch {
                    throw .invalidConfig(
                        path: configPath, reason: "its edit '\(words.joined(separator: " "))': \(error.message)")
                }
            }
        }
        rebuilt.group = group
        let expected = config["resolved"]?.text() ?? ""
        guard RunFolderLayout.resolved(rebuilt).text() == expected else {
            throw .invalidConfig(
                path: configPath,
                reason:
                    "this build rebuilds a different configuration from it (\(RunFolderLayout.resolved(rebuilt).text())); "
                    + "was it written by another version of emergent?")
        }
        return rebuilt
    }

    public struct CheckpointChoice: Sendable {
        public let checkpoint: TrainerCheckpoint?
        public let path: String?
        /// Each refused checkpoint with the reason, newest first.
        public let refused: [String]
    }

    /// Whose checkpoints this folder's are.
    public var identity: CheckpointIdentity { CheckpointIdentity(run: name, resolved: config["resolved"] ?? .null) }

    /// The newest checkpoint that reads back, is this run's, and whose history is on disk:
    /// the logs hold at least the bytes it counts, ending a record there. Others are refused
    /// and named, and the one before is used; `checkpoint` is nil when none is usable (or
    /// there are none yet).
    public func chooseCheckpoint() -> CheckpointChoice {
        var refused: [String] = []
        let identity = identity
        for file in RunFolderReader.checkpointFiles(in: path).reversed() {
            guard let data = FileManager.default.contents(atPath: file) else {
                refused.append("\(file) cannot be read")
                continue
            }
            let checkpoint: TrainerCheckpoint
            do { checkpoint = try TrainerCheckpoint(decoding: Array(data)) } catch {
                refused.append("\(file) is refused: \(error.reason)")
                continue
            }
            if let mismatch = identity.mismatch(checkpoint.header) {
                refused.append("\(file) is refused: \(mismatch)")
                continue
            }
            if let gap = historyGap(checkpoint) {
                refused.append("\(file) is refused: \(gap)")
                continue
            }
            return CheckpointChoice(checkpoint: checkpoint, path: file, refused: refused)
        }
        return CheckpointChoice(checkpoint: nil, path: nil, refused: refused)
    }

    /// Why the logs on disk do not hold the history `checkpoint` follows (shorter than the
    /// bytes it counts, or not ending a record there); nil when they do.
    func historyGap(_ checkpoint: TrainerCheckpoint) -> String? {
        for (file, counted) in checkpoint.header.logBytes.sorted(by: { $0.key < $1.key }) where counted > 0 {
            let log = (path as NSString).appendingPathComponent(file)
            let descriptor = open(log, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                return "it follows \(counted) bytes of \(file), which is gone: the history it continues was lost"
            }
            defer { close(descriptor) }
            let size = Int(lseek(descriptor, 0, SEEK_END))
            guard size >= counted else {
                return "it follows \(counted) bytes of \(file), which holds \(size): "
                    + "the history it continues was lost (a power loss, or the file was cut or replaced)"
            }
            var last: UInt8 = 0
            guard pread(descriptor, &last, 1, off_t(counted - 1)) == 1, last == UInt8(ascii: "\n") else {
                return "\(file) does not end a record at byte \(counted), where it ends its history: "
                    + "the file was changed or replaced"
            }
        }
        return nil
    }
}

/// Finding run folders.
public enum RunFolderReader {
    /// A run's checkpoint files, oldest first (temporary files of an interrupted write are not checkpoints).
    static func checkpointFiles(in runFolder: String) -> [String] {
        let folder = (runFolder as NSString).appendingPathComponent(RunFolderLayout.checkpointFolder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("epoch-") && $0.hasSuffix(".ckpt") }.sorted().map {
            (folder as NSString).appendingPathComponent($0)
        }
    }

    /// Subfolders of an experiment folder that hold a run's files but no `config.json`
    /// (deleted, or lost): they cannot be rebuilt, and are reported rather than passed over.
    public static func runFoldersWithoutConfig(in experiment: String) -> [String] {
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: experiment)) ?? []).sorted()
        return names.map { (experiment as NSString).appendingPathComponent($0) }.filter { folder in
            !manager.fileExists(atPath: (folder as NSString).appendingPathComponent(RunFolderLayout.configFile))
                && [RunFolderLayout.metricsFile, RunFolderLayout.eventsFile, RunFolderLayout.checkpointFolder].contains {
                    manager.fileExists(atPath: (folder as NSString).appendingPathComponent($0))
                }
        }
    }

    /// The run folders at `path`: the folder itself when it is a run, else its subfolders
    /// that are runs (an experiment folder), else those of its subfolders (a runs root).
    public static func runFolderPaths(at path: String) throws(RunFolderError) -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notARunFolder(
                path: path, reason: manager.fileExists(atPath: path) ? "it is not a folder" : "it does not exist")
        }
        func isRun(_ folder: String) -> Bool {
            manager.fileExists(atPath: (folder as NSString).appendingPathComponent(RunFolderLayout.configFile))
        }
        func children(_ folder: String) -> [String] {
            ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).sorted().map {
                (folder as NSString).appendingPathComponent($0)
            }.filter { manager.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue }
        }
        if isRun(path) { return [path] }
        let runs = children(path).filter(isRun)
        if !runs.isEmpty { return runs }
        let nested = children(path).flatMap { children($0).filter(isRun) }
        let experimentFiles = [RunFolderLayout.experimentFile, "." + RunFolderLayout.experimentFile + AtomicFile.temporarySuffix]
        if nested.isEmpty, experimentFiles.contains(where: { manager.fileExists(atPath: (path as NSString).appendingPathComponent($0)) }) {
            throw .notARunFolder(
                path: path, reason: "it is an experiment stopped before its runs had folders; there is nothing to resume, so run it again")
        }
        guard !nested.isEmpty else {
            throw .notARunFolder(
                path: path,
                reason:
                    "it holds no \(RunFolderLayout.configFile), and no run folders (a run folder holds config.json and metrics.jsonl)"
            )
        }
        return nested
    }
}
