import Foundation

/// `emergent report --slurm`: the run folders a walk of the report left unfinished, trained
/// as one job array over the report's shared `runs/` folder. Its `slurm/tasks.txt` only grows
/// (a run keeps its task index across walks), so each walk submits the runs that are neither
/// done nor in the queue, and the logs of one task index are one run's.
public struct ReportSubmission {
    public let submitter: SlurmSubmitter
    /// The report's `runs/` folder, absolute.
    public let root: String

    public init(submitter: SlurmSubmitter, out: String) {
        self.submitter = submitter
        root = SlurmSubmitter.absolute((out as NSString).appendingPathComponent("runs"))
    }

    /// What a submission did, for the command to print.
    public enum Outcome: Sendable, Equatable {
        case submitted(job: Int, tasks: Int, waiting: Int)
        /// Every unfinished run is queued or running already.
        case waiting(runs: Int)
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
        var indices: [Int] = []
        for folder in folders {
            guard folder.hasPrefix(prefix) else {
                throw SweepError("\(folder) is not under the report's runs folder \(root)")
            }
            let relative = String(folder.dropFirst(prefix.count))
            if let index = tasks.firstIndex(of: [relative]) {
                indices.append(index)
            } else {
                tasks.append([relative])
                indices.append(tasks.count - 1)
            }
        }
        do { try SlurmFolder.writeTasks(tasks, in: root) } catch { throw SweepError(error.description) }
        let queued = submitter.cluster.queue(jobs: SlurmFolder.submissions(in: root).map(\.job)).states
        let toSubmit = indices.filter { queued[$0] == nil }
        guard !toSubmit.isEmpty else { return .waiting(runs: indices.count) }
        let script = SlurmScript(name: "report", directory: root, executable: submitter.executable, options: options)
        let job = try submitter.write(script, andSubmit: toSubmit)
        return .submitted(job: job, tasks: toSubmit.count, waiting: indices.count - toSubmit.count)
    }
}
