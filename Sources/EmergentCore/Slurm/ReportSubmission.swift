import Foundation

/// `emergent report --slurm`: the run folders a walk of the report left unfinished, trained
/// as one job array over the report's shared `runs/` folder. A run keeps its task index
/// (`slurm/tasks.txt`, line i + 1 for task i) across walks until it has ended, so each walk
/// submits the runs that are neither done nor in the queue. Indices stay below the array
/// limit (Slurm's MaxArraySize): a new run takes the index of a run that ended, whose log
/// first moves into that run's folder, and runs beyond the limit wait for the next walk.
public struct ReportSubmission {
    public let submitter: SlurmSubmitter
    /// The report's `runs/` folder, absolute.
    public let root: String
    /// A task's log, moved into its run's folder when the index passes to another run.
    public static let movedLog = "slurm-task.log"

    public init(submitter: SlurmSubmitter, out: String) {
        self.submitter = submitter
        root = SlurmSubmitter.absolute((out as NSString).appendingPathComponent("runs"))
    }

    /// What a submission did, for the command to print.
    public enum Outcome: Sendable, Equatable {
        /// `waiting`: runs already queued; `deferred`: runs past the array limit, for the next walk.
        case submitted(job: Int, tasks: Int, waiting: Int, deferred: Int)
        /// Every unfinished run is queued or running already.
        case waiting(runs: Int)

        /// What the command prints; `arrayLimit` is the array's size.
        public func text(arrayLimit: Int) -> String {
            let line: String
            switch self {
            case let .submitted(job, tasks, waiting, deferred):
                line = "submitted job \(job): \(tasks) run\(tasks == 1 ? "" : "s")"
                    + (waiting > 0 ? " (\(waiting) more in the queue)" : "")
                    + (deferred > 0 ? "; \(deferred) more wait for a later pass (the array holds \(arrayLimit) tasks)" : "")
            case let .waiting(runs):
                line = "nothing to submit: \(runs) unfinished run\(runs == 1 ? " is" : "s are") in the queue"
            }
            return line + "\nwhen they end, run the same command again: it submits what they make possible, "
                + "and writes the report once every run is done"
        }
    }

    /// Submits the unfinished `folders` (absolute run folder paths under `root`) that are not
    /// queued or running.
    public func submit(_ folders: [String], options: SlurmScript.Options) throws(SweepError) -> Outcome {
        guard submitter.cluster.canSubmit else {
            throw SweepError(
                "Slurm's sbatch is not on the PATH: --slurm needs a Slurm cluster's commands (sbatch, squeue, scontrol)")
        }
        try SlurmScript.checkPath(root, what: "the report's runs folder")
        try SlurmScript.checkPath(submitter.executable, what: "the emergent binary")
        let prefix = root + "/"
        var tasks = SlurmFolder.readTasks(in: root)
        let queued = submitter.cluster.queue(jobs: SlurmFolder.submissions(in: root).map(\.job)).states
        // An index is free once its run has ended and no task of it is queued.
        var free = tasks.indices.filter { index in
            queued[index] == nil
                && tasks[index].allSatisfy { (try? RunFolder(path: prefix + $0).hasEnded) == true }
        }
        var indices: [Int] = [], deferred = 0
        for folder in folders {
            guard folder.hasPrefix(prefix) else {
                throw SweepError("\(folder) is not under the report's runs folder \(root)")
            }
            let relative = String(folder.dropFirst(prefix.count))
            if let index = tasks.firstIndex(of: [relative]) {
                indices.append(index)
            } else if tasks.count < options.arrayLimit {
                tasks.append([relative])
                indices.append(tasks.count - 1)
            } else if !free.isEmpty {
                let index = free.removeFirst()
                try moveLog(of: index, into: tasks[index])
                tasks[index] = [relative]
                indices.append(index)
            } else {
                deferred += 1
            }
        }
        do { try SlurmFolder.writeTasks(tasks, in: root) } catch { throw SweepError(error.description) }
        let toSubmit = indices.filter { queued[$0] == nil }.sorted()
        guard !toSubmit.isEmpty else { return .waiting(runs: indices.count) }
        let script = SlurmScript(name: "report", directory: root, executable: submitter.executable, options: options)
        let job = try submitter.write(script, andSubmit: toSubmit)
        return .submitted(job: job, tasks: toSubmit.count, waiting: indices.count - toSubmit.count, deferred: deferred)
    }

    /// Moves task `index`'s log, exit code and requeue count out of `slurm/` before the index
    /// passes to another run: the log is appended to `slurm-task.log` in the ended run's folder.
    private func moveLog(of index: Int, into runs: [String]) throws(SweepError) {
        let log = SlurmFolder.logPath(task: index, in: root)
        if let text = FileManager.default.contents(atPath: log), let run = runs.first {
            let moved = ((root as NSString).appendingPathComponent(run) as NSString).appendingPathComponent(Self.movedLog)
            let old = FileManager.default.contents(atPath: moved) ?? Data()
            do { try AtomicFile.write(Array(old + text), to: moved) } catch { throw SweepError(error.description) }
        }
        for name in ["task-\(index).log", "task-\(index).exit", "task-\(index).requeues"] {
            try? FileManager.default.removeItem(
                atPath: ((root as NSString).appendingPathComponent(SlurmScript.folder) as NSString).appendingPathComponent(name))
        }
    }
}
