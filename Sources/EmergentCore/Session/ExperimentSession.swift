import Foundation
import Synchronization

/// One experiment's life, the same for every command that trains (`dash`, `run`, `train`,
/// `sweep`, `resume`, `report`, a Slurm task): its data loaded, a run manager over it, the
/// run folders opened (or resumed) and their writer subscribed, the runs added, training,
/// and the summary written beside the folders.
public final class ExperimentSession: Sendable {
    /// A failure the session reports while it runs (a run folder that cannot be written).
    public typealias FailureHandler = @Sendable (_ message: String) -> Void

    public let config: ExperimentConfig
    public let data: ExperimentData
    public let manager: RunManager
    /// Nil with `run_folders: false`.
    public let writer: RunFolderWriter?
    /// Whether `summary.json` describes the whole experiment: a resume of some of its runs, or
    /// a Slurm task's share, is not the experiment's summary.
    public let summarizesExperiment: Bool
    /// What a resume passed over or repaired (the experiment's notes, then a checkpoint this
    /// build cannot continue, whose run starts again); empty for a new experiment.
    public let repairs: [String]
    /// The folders' locks, held while the session lives.
    private let locks: [FolderLock]
    private let writeFailures = FailureLog()
    private let onWriteFailure: FailureHandler

    /// A new experiment: its data (already loaded, or loaded now), a manager with
    /// `workers` threads (the experiment's own count by default), and new run folders,
    /// locked for `purpose` (the command, named to a second writer that is refused).
    /// `runsAtOnce`: how many of the runs will live at once (they are added in turns), what
    /// the memory check counts; nil: all of them. `budget`: each slice's share of work.
    public init(
        _ config: ExperimentConfig, data: ExperimentData? = nil, workers: Int? = nil, purpose: String = "run",
        runsAtOnce: Int? = nil, budget: SliceBudget = .standard, onWriteFailure: @escaping FailureHandler = { _ in }
    ) throws(UserError) {
        self.config = config
        self.onWriteFailure = onWriteFailure
        // Before the data is loaded: a refusal should not wait for it.
        let live = Array(config.runs.prefix(runsAtOnce ?? config.runs.count))
        do {
            try MemoryEstimate(
                runs: live, dataset: config.dataset, probe: config.probeSize ?? ProbeBatch.defaultSize,
                includingData: data == nil
            ).check(what: "the experiment's \(live.count) run\(live.count == 1 ? "" : "s")" + (live.count < config.runs.count ? " at once" : ""))
        } catch { throw UserError(error.description) }
        if let data {
            self.data = data
        } else {
            do { self.data = try ExperimentData.load(config) } catch { throw UserError(error.description) }
        }
        manager = RunManager(data: self.data, workers: workers ?? config.workers, budget: budget)
        summarizesExperiment = true
        repairs = []
        let failures = writeFailures
        if config.writesRunFolders {
            do {
                let writer = try RunFolderWriter(root: config.runsDirectory, experiment: config, data: self.data) {
                    _, message in
                    failures.append(message)
                    onWriteFailure(message)
                }
                locks = [try FolderLock.acquire(writer.directory, mode: .exclusive, purpose: purpose)]
                self.writer = writer
            } catch { throw UserError(error.description) }
            writer?.attach(to: manager)
        } else {
            writer = nil
            locks = []
        }
    }

    /// An experiment folder carried on from its runs' last checkpoints (`emergent resume`,
    /// a Slurm task): the runs are added at once, and the folders cut back to the checkpoints.
    public init(
        resuming resumed: ResumedExperiment, workers: Int? = nil, onWriteFailure: @escaping FailureHandler = { _ in }
    ) throws(UserError) {
        config = resumed.experiment
        self.onWriteFailure = onWriteFailure
        do { locks = try resumed.lock() } catch { throw UserError(error.description) }
        // Only the runs that will train count: a finished one holds its weights, not its activations.
        let training = resumed.runs.filter(\.trainsOn).map(\.config)
        do {
            try MemoryEstimate(
                runs: training, dataset: config.dataset, probe: config.probeSize ?? ProbeBatch.defaultSize
            ).check(what: "the \(training.count) resumed run\(training.count == 1 ? "" : "s") that train on")
        } catch { throw UserError(error.description) }
        do { data = try ExperimentData.load(resumed.experiment) } catch { throw UserError(error.description) }
        manager = RunManager(data: data, workers: workers ?? resumed.experiment.workers)
        let failures = writeFailures
        do {
            let (writer, repairs) = try resumed.start(on: manager) { _, message in
                failures.append(message)
                onWriteFailure(message)
            }
            self.writer = writer
            self.repairs = resumed.notes + repairs
        } catch { throw UserError(error.description) }
        summarizesExperiment = resumed.coversExperiment
    }

    /// Adds runs and creates their folders at once (not when each first trains), so a kill
    /// before a run starts leaves its folder for `resume`; returns their ids.
    @discardableResult
    public func add(_ runs: [RunConfig]) -> [Int] {
        runs.map { run in
            let id = manager.add(run)
            prepareFolder(id)
            return id
        }
    }

    /// Adds groups of runs that train a few groups at a time, in order (a learning-rate
    /// search's rates, each with its seeds), their folders prepared now.
    @discardableResult
    public func add(inTurns groups: [[RunConfig]]) -> [[Int]] {
        let ids = manager.add(inTurns: groups, groupsAtOnce: groupsAtOnce(groups))
        for id in ids.joined() { prepareFolder(id) }
        return ids
    }

    /// Enough groups at once to keep every worker busy: ⌈workers / runs a group⌉.
    private func groupsAtOnce(_ groups: [[RunConfig]]) -> Int {
        let perGroup = max(groups.first?.count ?? 1, 1)
        return (manager.workerCount + perGroup - 1) / perGroup
    }

    /// Creates run `id`'s folder now; a failure is reported as any write failure is.
    private func prepareFolder(_ id: Int) {
        guard let writer, let snapshot = manager.snapshot(id) else { return }
        do throws(RunFolderError) {
            _ = try writer.prepare(run: id, config: snapshot.config, stepsPerEpoch: snapshot.stepsPerEpoch)
        } catch {
            writeFailures.append(error.description)
            onWriteFailure(error.description)
        }
    }

    /// Adds a run while the experiment trains (a fork, a control, a seed from the dashboard),
    /// refused when it would not fit in the memory available now.
    @discardableResult
    public func addChecked(_ run: RunConfig) throws(UserError) -> Int {
        do {
            try MemoryEstimate(
                runs: [run], dataset: config.dataset, probe: data.probeIndices.count, includingData: false
            ).check(what: "the new run")
        } catch { throw UserError(error.description) }
        let id = manager.add(run)
        prepareFolder(id)
        return id
    }

    /// Adds every run of a sweep's cells, each cell's folders rebuilding from the cell's own
    /// experiment, and returns the plan that reads the heatmap from the runs. Groups are per
    /// cell (a control in a cell is its own group, and not the cell's value).
    public func add(sweep cells: [SweepGrid.Cell], grid: SweepGrid, metric: SweepMetric) -> SweepPlan {
        let runs = cells.enumerated().map { index, cell in
            cell.runs(at: index).map { run in
                writer?.use(document: cell.experiment.document, forGroup: run.group)
                return run
            }
        }
        // Cell by cell, a cell's runs side by side, so the heatmap fills in as cells finish
        // instead of all at the end.
        let ids = manager.add(inTurns: runs, groupsAtOnce: groupsAtOnce(runs))
        return SweepPlan(
            grid: grid, metric: metric, cells: cells,
            runIDs: zip(runs, ids).map { runs, ids in zip(runs, ids).compactMap { $0.controlOf == nil ? $1 : nil } })
    }

    /// Trains in the background until `finish` (the dashboards).
    public func start() { manager.start() }

    /// Trains until every run has ended (or paused); `observe` is called once the runs are
    /// added and before training starts, and what it returns once training is over.
    public func trainToEnd(observe: (RunManager) -> (() -> Void) = { _ in {} }) {
        let done = observe(manager)
        manager.start()
        manager.waitUntilSettled()
        manager.shutdown()
        done()
    }

    /// Stops training, waits for the folders to be written, and sums the runs up.
    @discardableResult
    public func finish() -> ExperimentSummary {
        manager.shutdown()
        writer?.flush()
        return ExperimentSummary(manager.snapshots())
    }

    /// The first run folder write that failed, with how many did; nil when none did.
    public var writeFailure: String? {
        let failures = writeFailures.messages
        return failures.first.map { "\(failures.count) run folder write(s) failed, the first: \($0)" }
    }

    /// Writes `summary.json` when the session describes the whole experiment and its folders
    /// are complete; throws when a run folder write failed (the summary would describe
    /// folders that are not complete) or the file cannot be written.
    public func writeSummary(_ summary: ExperimentSummary) throws(UserError) {
        guard let writer else { return }
        if let writeFailure { throw UserError(writeFailure) }
        guard summarizesExperiment else { return }
        do { try writer.writeSummary(text: try summary.jsonText(experiment: config)) } catch {
            throw UserError("\(error)")
        }
    }

    /// Another file of the experiment folder (a sweep's `sweep.csv`); nothing without folders.
    public func writeFile(_ text: String, named name: String) throws(UserError) {
        do throws(RunFolderError) { try writer?.writeFile(text, named: name) } catch {
            throw UserError(error.description)
        }
    }
}

extension ExperimentSession {
    /// Where the run folders are and what to do with them, said as a dashboard ends; nil
    /// without folders.
    public var whereTheFoldersAre: String? {
        writer.map { writer in
            "run folders: \(writer.directory)\n  emergent view \(writer.directory)      look at them again\n"
                + "  emergent resume \(writer.directory)    train the unfinished runs on"
        }
    }

    /// What trains where, for the first line of progress.
    public var description: String {
        "\(config.name): \(manager.snapshots().count) runs on \(manager.workerCount) workers, \(data.dataset) ("
            + "\(data.trainCount) training samples)" + (writer.map { "; run folders in \($0.directory)" } ?? "")
    }
}

/// The write failures seen so far, shared with the writer's queue that reports them.
private final class FailureLog: Sendable {
    private let list = Mutex<[String]>([])
    func append(_ message: String) { list.withLock { $0.append(message) } }
    var messages: [String] { list.withLock { $0 } }
}
