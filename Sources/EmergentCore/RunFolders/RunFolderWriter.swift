import Dispatch
import Foundation
import Synchronization

/// Writes every run of an experiment to its folder on disk, as a subscriber of the engine's
/// events: the worker only hands the event over, and one serial queue does the file work,
/// off the training path. Metric and event records are appended as they come; each epoch
/// end's checkpoint is written atomically after the logs it counts are synced.
///
/// A write that fails (a full disk, a read-only or vanished folder) pauses that run, reports
/// the error naming the path, and leaves what was written intact; the other runs go on.
/// Resuming the run tries its folder again.
public final class RunFolderWriter: @unchecked Sendable {
    // @unchecked: `logs` is touched only on `queue`; the rest is immutable
    // or a Mutex.
    public typealias ErrorHandler = @Sendable (_ run: Int, _ message: String) -> Void

    /// The experiment's folder: `<root>/<experiment>-<timestamp>`.
    public let directory: String
    private let header: ExperimentHeader
    private let queue = DispatchQueue(label: "emergent.run-folders", qos: .utility)
    private var logs: [Int: RunLog] = [:]
    private let known = Mutex<Set<Int>>([])
    /// Experiment documents of run groups that are not the experiment's own (a sweep's cells).
    private let documents = Mutex<[Int: JSONValue]>([:])
    private let onError: ErrorHandler
    private nonisolated(unsafe) weak var manager: RunManager?

    /// One run's open logs, on the writer's queue.
    private final class RunLog {
        let folder: String
        let identity: CheckpointIdentity
        /// A step on fewer samples (an epoch's last batch) logs its count, so readers weigh it.
        let batchSize: Int
        let metrics: AppendLog
        let events: AppendLog
        var step = 0
        var epoch = 0
        var failed = false

        init(folder: String, identity: CheckpointIdentity, batchSize: Int) throws(RunFolderError) {
            self.folder = folder
            self.identity = identity
            self.batchSize = batchSize
            metrics = try AppendLog(path: (folder as NSString).appendingPathComponent(RunFolderLayout.metricsFile))
            events = try AppendLog(path: (folder as NSString).appendingPathComponent(RunFolderLayout.eventsFile))
        }
    }

    /// Creates `<root>/<experiment>-<timestamp>/` (a suffix when that exists), or exactly
    /// `<root>/<folderName>/` when the experiment names one, and its `experiment.json`.
    public convenience init(
        root: String, experiment: ExperimentConfig, data: ExperimentData, onError: @escaping ErrorHandler
    ) throws(RunFolderError) {
        let created = Date()
        try AtomicFile.makeFolder(root)
        let base = (root as NSString).appendingPathComponent(
            experiment.folderName ?? experiment.name + "-" + RunFolderLayout.timestamp(created))
        var directory = base
        var suffix = 1
        while mkdir(directory, 0o755) != 0 {
            // A fixed name is found again by whoever chose it: never another folder in its place.
            guard errno == EEXIST, suffix < 1000, experiment.folderName == nil else {
                throw .writeFailed(path: directory, reason: AppendLog.lastError())
            }
            suffix += 1
            directory = base + "-\(suffix)"
        }
        let header = ExperimentHeader(
            name: experiment.name, document: experiment.document, dataset: data.dataset,
            datasetChecksum: data.contentChecksum(), created: created)
        let document = JSONValue.object([("format", .number(Double(RunFolderLayout.formatVersion)))] + header.members)
        try AtomicFile.write(
            document.text(pretty: true) + "\n",
            to: (directory as NSString).appendingPathComponent(RunFolderLayout.experimentFile))
        self.init(directory: directory, header: header, onError: onError)
    }

    /// Goes on writing into an existing experiment folder (`emergent resume`).
    init(directory: String, header: ExperimentHeader, onError: @escaping ErrorHandler) {
        self.directory = directory
        self.header = header
        self.onError = onError
    }

    /// Subscribes to `manager`: every run that starts from now on gets a folder.
    public func attach(to manager: RunManager) {
        self.manager = manager
        manager.subscribe { [weak self, weak manager] id, event in
            guard let self else { return }
            var config: (RunConfig, Int)?
            if case .started = event, !self.known.withLock({ $0.contains(id) }), let snapshot = manager?.snapshot(id) {
                config = (snapshot.config, snapshot.stepsPerEpoch)
            }
            let now = Date().timeIntervalSince1970, newRun = config
            self.queue.async { self.handle(id, event, newRun: newRun, now: now) }
        }
    }

    /// Cuts a run's logs back to what `checkpoint` counts (all of them when there is none):
    /// the records of the epoch a kill lost, and a half-written last line.
    static func cutBack(folder: String, to checkpoint: TrainerCheckpoint?) throws(RunFolderError) {
        for file in [RunFolderLayout.metricsFile, RunFolderLayout.eventsFile] {
            _ = try AppendLog(
                path: (folder as NSString).appendingPathComponent(file),
                truncatingTo: checkpoint?.header.logBytes[file] ?? 0)
        }
    }

    /// Moves a run's logs and checkpoints into `before-restart-<time>/` of its folder, so a
    /// run that starts again from step 0 loses none of what it wrote before.
    static func setAside(folder: String) throws(RunFolderError) {
        let names = [RunFolderLayout.metricsFile, RunFolderLayout.eventsFile, RunFolderLayout.checkpointFolder]
        let present = names.filter {
            FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0))
        }
        guard !present.isEmpty else { return }
        var aside = (folder as NSString).appendingPathComponent(
            RunFolderLayout.setAsideFolder + "-" + RunFolderLayout.timestamp(Date()))
        var suffix = 1
        while FileManager.default.fileExists(atPath: aside) {
            suffix += 1
            aside = aside.split(separator: "~").first.map(String.init)! + "~\(suffix)"
        }
        try AtomicFile.makeFolder(aside)
        for name in present {
            let from = (folder as NSString).appendingPathComponent(name)
            guard rename(from, (aside as NSString).appendingPathComponent(name)) == 0 else {
                throw .writeFailed(path: from, reason: AppendLog.lastError())
            }
        }
    }

    /// Carries on a resumed run's folder (cut back first), with a line recording the resume;
    /// a finished run's folder (`finished`) is taken as it is, and nothing is added to it.
    /// `trainedOut`: the checkpoint holds the run's last epoch (a kill came between it and the
    /// `finished` line), so the run is recorded finished, as it is.
    func adopt(
        run id: Int, folder: String, identity: CheckpointIdentity, batchSize: Int, step: Int, epoch: Int,
        checkpointPath: String?, finished: Bool = false, trainedOut: Bool = false
    ) throws(RunFolderError) {
        let log = try RunLog(folder: folder, identity: identity, batchSize: batchSize)
        log.step = step
        log.epoch = epoch
        // A prepared folder starting for the first time has nothing to say it resumed from.
        guard !finished, checkpointPath != nil || log.metrics.bytes > 0 || log.events.bytes > 0 || step > 0 else {
            known.withLock { _ = $0.insert(id) }
            queue.sync { logs[id] = log }
            return
        }
        let text =
            checkpointPath.map { "resumed from \(($0 as NSString).lastPathComponent) at step \(step)" }
            ?? "resumed from the start (no checkpoint yet)"
        try log.events.append(
            RecordedEvent(
                step: step, wallTime: Date().timeIntervalSince1970, kind: "resumed_from_checkpoint", text: text,
                fields: [("checkpoint", checkpointPath.map { .string(($0 as NSString).lastPathComponent) } ?? .null)]
            ).line)
        if trainedOut, let line = RecordedEvent(.finished(step: step), wallTime: Date().timeIntervalSince1970)?.line {
            try log.events.append(line)
        }
        known.withLock { _ = $0.insert(id) }
        queue.sync { logs[id] = log }
    }

    /// Creates a run's folder and `config.json` before it trains (a Slurm sweep's tasks then
    /// carry the folders on with `emergent resume`); returns its path.
    public func prepare(run id: Int, config: RunConfig, stepsPerEpoch: Int) throws(RunFolderError) -> String {
        let now = Date().timeIntervalSince1970
        let result: Result<String, RunFolderError> = queue.sync {
            do throws(RunFolderError) {
                // A run that already started has its folder (the writer opened it on `.started`).
                if let log = logs[id] { return .success(log.folder) }
                try open(id, config: config, stepsPerEpoch: stepsPerEpoch, now: now)
                return .success(logs[id]!.folder)
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Records `document` as the experiment of the runs of `group` (a sweep's cell), so their
    /// folders rebuild from it.
    public func use(document: JSONValue, forGroup group: Int) {
        documents.withLock { $0[group] = document }
    }

    /// Waits until everything handed over so far is on disk.
    public func flush() { queue.sync {} }

    /// Each run's folder, by run id.
    public var runFolders: [Int: String] { queue.sync { logs.mapValues(\.folder) } }

    /// Another file of the experiment folder (a sweep's `sweep.csv`), written atomically.
    public func writeFile(_ text: String, named name: String) throws(RunFolderError) {
        try AtomicFile.write(text, to: (directory as NSString).appendingPathComponent(name))
    }

    /// `summary.json`, written when the experiment ends.
    public func writeSummary(text: String) throws(RunFolderError) {
        flush()
        try AtomicFile.write(
            text.hasSuffix("\n") ? text : text + "\n",
            to: (directory as NSString).appendingPathComponent(RunFolderLayout.summaryFile))
    }

    // MARK: - On the queue

    private func handle(_ id: Int, _ event: RunEvent, newRun: (RunConfig, Int)?, now: Double) {
        if let (config, stepsPerEpoch) = newRun, logs[id] == nil {
            do { try open(id, config: config, stepsPerEpoch: stepsPerEpoch, now: now) } catch {
                fail(id, error)
                return
            }
        }
        guard let log = logs[id] else { return }
        if case .resumed = event, log.failed { log.failed = false }
        guard !log.failed else { return }
        do {
            if case .restarted = event { try restart(log) }
            try record(event, in: log, now: now)
        } catch {
            log.failed = true
            fail(id, error)
        }
    }

    private func open(_ id: Int, config: RunConfig, stepsPerEpoch: Int, now: Double) throws(RunFolderError) {
        known.withLock { _ = $0.insert(id) }
        // Named by the run's place in the manager (the order runs were added), unless a folder
        // of a resumed experiment already has that name.
        var index = id, folder: String
        repeat {
            folder = (directory as NSString).appendingPathComponent(
                RunFolderLayout.runFolderName(index: index, config: config))
            index += 1
        } while FileManager.default.fileExists(atPath: folder)
        try AtomicFile.makeFolder(folder)
        var experiment = header
        if let document = documents.withLock({ $0[config.group] }) { experiment.document = document }
        let document = RunFolderLayout.configDocument(
            id: id, config: config, stepsPerEpoch: stepsPerEpoch, experiment: experiment)
        try AtomicFile.write(
            document.text(pretty: true) + "\n",
            to: (folder as NSString).appendingPathComponent(RunFolderLayout.configFile))
        let log = try RunLog(
            folder: folder,
            identity: CheckpointIdentity(
                run: (folder as NSString).lastPathComponent, resolved: RunFolderLayout.resolved(config)),
            batchSize: config.settings.batchSize)
        logs[id] = log
        if !config.origin.edits.isEmpty {
            try log.events.append(
                RecordedEvent(
                    step: 0, wallTime: now, kind: "forked",
                    text: "forked with "
                        + config.origin.edits.map { $0.joined(separator: " ") }.joined(separator: "; then "),
                    fields: [("edits", .array(config.origin.edits.map { .array($0.map(JSONValue.string)) }))]
                ).line)
        }
    }

    private func restart(_ log: RunLog) throws(RunFolderError) {
        // The run starts again from step 0: its folder holds its new life only.
        try log.metrics.truncate(to: 0)
        try log.events.truncate(to: 0)
        let checkpoints = (log.folder as NSString).appendingPathComponent(RunFolderLayout.checkpointFolder)
        try? FileManager.default.removeItem(atPath: checkpoints)
        log.step = 0
        log.epoch = 0
    }

    private func record(_ event: RunEvent, in log: RunLog, now: Double) throws(RunFolderError) {
        func line(_ key: String, _ value: Double, step: Int, epoch: Int) -> String {
            MetricRecord(step: step, epoch: epoch, wallTime: now, key: key, value: value).line
        }
        switch event {
        case let .step(r):
            log.step = r.step
            log.epoch = r.epoch
            // Before the step's values, so a reader knows their weight when it reads them.
            let partial =
                r.samples < log.batchSize
                ? line(RunSnapshot.batchSamplesKey, Double(r.samples), step: r.step, epoch: r.epoch) : ""
            try log.metrics.append(
                partial + line("train/loss", r.loss, step: r.step, epoch: r.epoch)
                    + line("train/acc", r.accuracy, step: r.step, epoch: r.epoch)
                    + line("opt/lr", r.learningRate, step: r.step, epoch: r.epoch)
                    + line("opt/grad_norm", r.gradientNorm, step: r.step, epoch: r.epoch)
                    + line("time/wall", r.wallTime, step: r.step, epoch: r.epoch))
        case let .measured(m):
            var text =
                line("emergence/log10E", m.log10E, step: m.step, epoch: log.epoch)
                + line("emergence/log10E_complete", m.log10CompleteE, step: m.step, epoch: log.epoch)
                + line("emergence/log10E_relative", m.log10Relative, step: m.step, epoch: log.epoch)
            for layer in m.layers {
                for (stat, value) in RunSnapshot.layerStatistics(layer) {
                    text += line("layers/\(layer.name)/\(stat)", value, step: m.step, epoch: log.epoch)
                }
            }
            try log.metrics.append(text)
        case let .initProgress(iteration, _, terms):
            try log.metrics.append(
                terms.sorted { $0.key < $1.key }.map { line("init/\($0.key)", $0.value, step: iteration, epoch: 0) }
                    .joined())
        case let .updaterProgress(step, scales, logEmergence):
            var text = scales.sorted { $0.key < $1.key }.map {
                line("updater/\($0.key)/scale", $0.value, step: step, epoch: log.epoch)
            }.joined()
            if let logEmergence { text += line("updater/log10E", logEmergence, step: step, epoch: log.epoch) }
            try log.metrics.append(text)
        case let .epochEnded(r):
            let epoch = r.epoch - 1
            var text =
                line("train/epoch_loss", r.trainLoss, step: r.step, epoch: epoch)
                + line("train/epoch_acc", r.trainAccuracy, step: r.step, epoch: epoch)
            for (key, value) in r.test.sorted(by: { $0.key < $1.key }) {
                text += line(key, value, step: r.step, epoch: epoch)
            }
            try log.metrics.append(text)
        case let .checkpointed(checkpoint):
            try writeCheckpoint(checkpoint, log: log, now: now)
        default:
            break
        }
        if let recorded = RecordedEvent(event, wallTime: now) { try log.events.append(recorded.line) }
    }

    private func writeCheckpoint(_ checkpoint: TrainerCheckpoint, log: RunLog, now: Double) throws(RunFolderError) {
        // Appends to a removed folder would go on silently into unlinked files: stop instead.
        let config = (log.folder as NSString).appendingPathComponent(RunFolderLayout.configFile)
        guard FileManager.default.fileExists(atPath: config) else {
            throw .writeFailed(path: log.folder, reason: "the run folder was removed or moved")
        }
        let folder = (log.folder as NSString).appendingPathComponent(RunFolderLayout.checkpointFolder)
        try AtomicFile.makeFolder(folder)
        let name = RunFolderLayout.checkpointName(checkpoint)
        let event = RecordedEvent(
            step: checkpoint.step, wallTime: now, kind: "checkpoint",
            text: "checkpoint \(name) at step \(checkpoint.step)",
            fields: [("file", .string(RunFolderLayout.checkpointFolder + "/" + name))])
        let eventsBefore = log.events.bytes
        try log.events.append(event.line)
        // The logs first, so the checkpoint never counts records the disk does not have.
        var stamped = checkpoint
        do throws(RunFolderError) {
            try log.metrics.sync()
            try log.events.sync()
            stamped.header.logBytes = [
                RunFolderLayout.metricsFile: log.metrics.bytes, RunFolderLayout.eventsFile: log.events.bytes,
            ]
            log.identity.stamp(&stamped.header)
            try AtomicFile.write(stamped.encoded(), to: (folder as NSString).appendingPathComponent(name))
        } catch {
            // The log must not claim a checkpoint the disk does not hold.
            try? log.events.truncate(to: eventsBefore)
            throw error
        }
        let older = RunFolderReader.checkpointFiles(in: log.folder).dropLast(RunFolderLayout.checkpointsKept)
        for path in older { unlink(path) }
    }

    private func fail(_ id: Int, _ error: RunFolderError) {
        try? manager?.send(.pause, to: id)
        onError(id, "\(error.description); the run is paused (resume it to try again)")
    }
}
