import Foundation

/// `emergent sweep --status`: every cell's state, from its run folders first (done and
/// diverged are facts on disk), then from Slurm for the tasks that train it (queued,
/// running), then from how those tasks ended (an exit code the task wrote, or the state
/// `scontrol` still remembers).
public struct SweepStatus: Sendable {
    public enum State: String, Sendable, CaseIterable {
        case done, running, queued, failed, diverged, cancelled
        /// Its task reached its time limit (Slurm's TIMEOUT) before the runs finished.
        case timedOut = "timed out"
        /// Its task checkpointed at its time limit's warning and waits in the queue to carry on.
        case requeued
        /// Its task ended (or none was submitted) before the runs finished: submitting again resumes it.
        case incomplete
        case notStarted = "not started"
    }

    public struct CellStatus: Sendable, Equatable {
        public let label: String
        public let state: State
        /// The least advanced of its runs: epochs done and planned.
        public let epoch: Int
        public let epochs: Int
        public let tasks: [Int]
        /// Why it failed or stopped: the exit code and the log, or the run's own failure.
        public let note: String
    }

    public let cells: [CellStatus]
    /// Tasks cancelled in cells whose other tasks still run or wait: the cell's state is
    /// theirs, and these are counted apart so the summary does not hide them.
    public let cancelledInLiveCells: Int
    /// The tasks to submit again: one whose runs are not all done or diverged, and that is
    /// neither queued nor running.
    public let tasksToSubmit: [Int]

    /// - Parameters:
    ///   - runs: each run folder's picture, by folder name (missing: not created or unreadable).
    ///   - queue: squeue's state of the tasks still in the queue, by task index.
    ///   - exitCodes: the exit codes tasks wrote as they ended, by task index.
    ///   - ended: what scontrol remembers of tasks that left the queue, by task index.
    ///   - logPath: a task's log file.
    public init(
        manifest: SweepManifest, runs: [String: RunSnapshot], queue: [Int: SlurmQueue.TaskState],
        exitCodes: [Int: Int], ended: [Int: (state: String, exitCode: String?, log: String?)],
        logPath: (Int) -> String, requeues: [Int: Int] = [:],
        logExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) {
        var cancelledInLive = 0
        /// Where a cancelled task's story is: its log, or that it never started (no log).
        func cancelledNote(_ task: Int, log: String?) -> String {
            let path = log ?? logPath(task)
            return logExists(path) ? "task \(task) was cancelled; log: \(path)" : "task \(task) was cancelled before it started"
        }
        var tasksOf: [String: [Int]] = [:]
        for (index, folders) in manifest.tasks.enumerated() {
            for folder in folders { tasksOf[folder, default: []].append(index) }
        }
        func settled(_ folder: String) -> Bool {
            guard let status = runs[folder]?.status else { return false }
            return status == .done || status == .diverged
        }
        cells = manifest.cells.map { cell in
            let folders = cell.runs + cell.controls
            let snapshots = folders.compactMap { runs[$0] }
            let tasks = Array(Set(folders.flatMap { tasksOf[$0] ?? [] })).sorted()
            let epoch = snapshots.count == folders.count ? snapshots.map(\.epoch).min() ?? 0 : 0
            let epochs = snapshots.map(\.config.settings.epochs).max() ?? 0
            func status(_ state: State, _ note: String = "") -> CellStatus {
                CellStatus(label: cell.label, state: state, epoch: epoch, epochs: epochs, tasks: tasks, note: note)
            }
            if let diverged = snapshots.first(where: { $0.status == .diverged }) {
                return status(.diverged, "\(diverged.config.label) diverged at step \(diverged.divergedAt ?? 0)")
            }
            if snapshots.count == folders.count, snapshots.allSatisfy({ $0.status == .done }) { return status(.done) }
            let cancelled = tasks.filter { ended[$0]?.state == "CANCELLED" }
            let live = tasks.contains { queue[$0]?.isRunning == true || queue[$0]?.isQueued == true }
            let aside = live && !cancelled.isEmpty ? cancelledNote(cancelled[0], log: ended[cancelled[0]]?.log) + "; " : ""
            if live { cancelledInLive += cancelled.count }
            if tasks.contains(where: { queue[$0]?.isRunning == true }) {
                return status(.running, aside.isEmpty ? "" : aside + "submit again to run it")
            }
            if let waiting = tasks.first(where: { queue[$0]?.isQueued == true }) {
                let reason = queue[waiting]?.reason.map { "waiting: \($0)" } ?? ""
                if let times = requeues[waiting], times > 0 {
                    return status(.requeued, aside + "requeued \(times == 1 ? "once" : "\(times) times") at its time limit" + (reason.isEmpty ? "" : "; \(reason)"))
                }
                return status(.queued, aside + reason)
            }
            // A task whose script outlived `emergent` (killed by a signal: 128 + N) and that
            // Slurm says was cancelled is cancelled, not failed.
            if let task = tasks.first(where: { (exitCodes[$0] ?? 0) > 128 && ended[$0]?.state == "CANCELLED" }) {
                return status(.cancelled, cancelledNote(task, log: ended[task]?.log))
            }
            if let task = tasks.first(where: { (exitCodes[$0] ?? 0) != 0 }) {
                return status(.failed, "task \(task) exited \(exitCodes[task]!); log: \(logPath(task))")
            }
            if let task = tasks.first(where: { ended[$0] != nil && exitCodes[$0] == nil }), let record = ended[task] {
                if record.state == "CANCELLED" { return status(.cancelled, cancelledNote(task, log: record.log)) }
                if record.state == "TIMEOUT" {
                    return status(
                        .timedOut, "task \(task) reached its time limit; log: \(record.log ?? logPath(task))")
                }
                if record.state != "COMPLETED" {
                    return status(
                        .failed,
                        "task \(task): \(record.state)" + (record.exitCode.map { ", exit code \($0)" } ?? "")
                            + "; log: \(record.log ?? logPath(task))")
                }
            }
            if let failed = snapshots.first(where: { $0.status == .failed }) {
                return status(.failed, "\(failed.config.label): \(failed.failure ?? "failed")")
            }
            let started = snapshots.contains { $0.step > 0 }
            return status(
                started ? .incomplete : .notStarted,
                tasks.isEmpty ? "" : started ? "its task ended before the runs did; submit again to resume" : "")
        }
        var toSubmit: [Int] = []
        for (index, folders) in manifest.tasks.enumerated() where !folders.allSatisfy(settled) {
            if queue[index]?.isQueued == true || queue[index]?.isRunning == true { continue }
            toSubmit.append(index)
        }
        tasksToSubmit = toSubmit
        cancelledInLiveCells = cancelledInLive
    }

    /// A sweep folder read whole: its manifest, every cell's state, the runs' pictures in the
    /// order of their folders, and what could not be read. `queue` asks Slurm which of the
    /// submitted jobs' tasks are queued or running; `ended`, what it remembers of one that left
    /// the queue without writing its exit code (both empty without Slurm).
    public static func read(
        directory: String, queue: ([Int]) -> [Int: SlurmQueue.TaskState],
        ended: (_ job: Int, _ task: Int) -> (state: String, exitCode: String?, log: String?)?
    ) throws(RunFolderError) -> (
        manifest: SweepManifest, status: SweepStatus, runs: [RunSnapshot], folders: [String], problems: [String]
    ) {
        guard let manifest = try SweepManifest.load(directory: directory) else {
            throw .invalidConfig(
                path: directory,
                reason: "not a sweep's folder: it has no \(SweepManifest.fileName) (emergent sweep writes one)")
        }
        // The cells' states and the heatmap's metric: no other curve is drawn.
        let metricKey = (try? SweepMetric(parsing: manifest.metric))?.key
        let follower = try RunFolderFollower(paths: [directory], seriesKeys: metricKey.map { [$0] })
        let snapshots = follower.poll()
        let names = follower.runFolderPaths.map { ($0 as NSString).lastPathComponent }
        let runs = Dictionary(zip(names, snapshots), uniquingKeysWith: { first, _ in first })
        let status = Self(directory: directory, manifest: manifest, runs: runs, queue: queue, ended: ended)
        return (manifest, status, snapshots, names, follower.problems)
    }

    /// The state of a sweep folder's cells from its runs' pictures (by folder name), what
    /// Slurm says of its tasks, and the exit codes they wrote: what `read` and a dashboard
    /// that already follows the folders (`view`) share.
    public init(
        directory: String, manifest: SweepManifest, runs: [String: RunSnapshot], queue: ([Int]) -> [Int: SlurmQueue.TaskState],
        ended: (_ job: Int, _ task: Int) -> (state: String, exitCode: String?, log: String?)?
    ) {
        let submissions = SlurmFolder.submissions(in: directory)
        let states = queue(submissions.map(\.job))
        var exitCodes: [Int: Int] = [:], endedTasks: [Int: (state: String, exitCode: String?, log: String?)] = [:]
        for task in manifest.tasks.indices {
            if let code = SlurmFolder.exitCode(task: task, in: directory) {
                exitCodes[task] = code
                // A signal's exit code: ask whether Slurm cancelled the task.
                if code <= 128 { continue }
            }
            let unfinished = manifest.tasks[task].contains { runs[$0]?.status.isTerminal != true }
            // Ask the controller only about tasks that left the queue without a word.
            if unfinished, states[task] == nil, let job = submissions.last(where: { $0.tasks.contains(task) })?.job {
                endedTasks[task] = ended(job, task)
            }
        }
        self.init(
            manifest: manifest, runs: runs, queue: states, exitCodes: exitCodes, ended: endedTasks,
            logPath: { SlurmFolder.logPath(task: $0, in: directory) },
            requeues: Dictionary(
                uniqueKeysWithValues: manifest.tasks.indices.map { ($0, SlurmFolder.requeues(task: $0, in: directory)) }))
    }

    /// Each run folder's cell state where the cell has not ended well (done) or diverged: what a
    /// view shows in place of a run's own (a pending task's runs were never started; a
    /// cancelled or timed-out task's runs look merely stopped on disk).
    public func clusterStates(_ manifest: SweepManifest) -> [String: State] {
        var states: [String: State] = [:]
        for (cell, status) in zip(manifest.cells, cells) where ![.done, .diverged].contains(status.state) {
            for folder in cell.runs + cell.controls { states[folder] = status.state }
        }
        return states
    }

    /// What `sweep --status` exits with, for scripts: 3 while any cell's task is queued or
    /// running; else 0 when every cell is done (or diverged: a result, not a fault) and no task
    /// is left to submit; else 1 (a task failed, was cancelled or timed out, or a run is
    /// unfinished with nothing queued).
    public var exitCode: Int32 {
        if cells.contains(where: { [.running, .queued, .requeued].contains($0.state) }) { return 3 }
        return tasksToSubmit.isEmpty && cells.allSatisfy { $0.state == .done || $0.state == .diverged } ? 0 : 1
    }

    public var summary: String {
        let counts = State.allCases.map { state in (state, cells.filter { $0.state == state }.count) }
        // Only what is always worth a count shows at zero: a problem is named only when there is one.
        let always: Set<State> = [.done, .running, .queued]
        return "\(cells.count) cell\(cells.count == 1 ? "" : "s"): "
            + counts.filter { always.contains($0.0) || $0.1 > 0 }.map { "\($0.1) \($0.0.rawValue)" }.joined(
                separator: ", ")
            + (cancelledInLiveCells == 0
                ? "" : "; \(cancelledInLiveCells) task\(cancelledInLiveCells == 1 ? "" : "s") cancelled in cells still going")
    }

    /// A table of the cells, then the summary line.
    public var text: String {
        let labelWidth = min(max(cells.map(\.label.count).max() ?? 4, 4), 48)
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
        }
        var lines = [pad("cell", labelWidth) + "  " + pad("state", 12) + pad("epoch", 9) + pad("tasks", 8) + "note"]
        for cell in cells {
            let tasks = cell.tasks.isEmpty ? "—" : SlurmScript.arraySpec(cell.tasks)
            lines.append(
                (pad(cell.label, labelWidth) + "  " + pad(cell.state.rawValue, 12)
                    + pad("\(cell.epoch)/\(cell.epochs)", 9)
                    + pad(tasks, 8) + cell.note).trimmingCharacters(in: .whitespaces))
        }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }
}
