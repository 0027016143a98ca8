import Foundation

/// The `slurm/` folder of a Slurm sweep's experiment folder: the sbatch script, `tasks.txt`
/// (task i's run folders on line i + 1), `jobs.txt` (one submission a line: `JOB INDICES`),
/// and each task's log and the exit code it wrote as it ended.
public enum SlurmFolder {
    static func path(_ directory: String, _ name: String) -> String {
        ((directory as NSString).appendingPathComponent(SlurmScript.folder) as NSString).appendingPathComponent(name)
    }

    public static func writeTasks(_ tasks: [[String]], in directory: String) throws(RunFolderError) {
        try AtomicFile.makeFolder((directory as NSString).appendingPathComponent(SlurmScript.folder))
        try AtomicFile.write(
            tasks.map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n",
            to: path(directory, SlurmScript.tasksFile))
    }

    /// The task list as written (task i's run folders on line i + 1); empty when there is none.
    public static func readTasks(in directory: String) -> [[String]] {
        let text = (try? String(contentsOfFile: path(directory, SlurmScript.tasksFile), encoding: .utf8)) ?? ""
        guard !text.isEmpty else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
            .map { $0.split(separator: " ").map(String.init) }
    }

    /// Writes the script, executable; returns its path.
    public static func writeScript(_ script: SlurmScript) throws(RunFolderError) -> String {
        try AtomicFile.makeFolder((script.directory as NSString).appendingPathComponent(SlurmScript.folder))
        let file = path(script.directory, SlurmScript.scriptFile)
        try AtomicFile.write(script.text, to: file)
        chmod(file, 0o755)
        return file
    }

    public static func recordSubmission(job: Int, indices: [Int], in directory: String) throws(RunFolderError) {
        let file = path(directory, "jobs.txt")
        let old = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        try AtomicFile.write(old + "\(job) \(SlurmScript.arraySpec(indices))\n", to: file)
    }

    /// The submissions so far, oldest first.
    public static func submissions(in directory: String) -> [(job: Int, tasks: [Int])] {
        SlurmQueue.parseSubmissions((try? String(contentsOfFile: path(directory, "jobs.txt"), encoding: .utf8)) ?? "")
    }

    /// The exit code task `task` wrote as it ended (nil while it runs, or when it was killed).
    public static func exitCode(task: Int, in directory: String) -> Int? {
        (try? String(contentsOfFile: path(directory, "task-\(task).exit"), encoding: .utf8)).flatMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    public static func logPath(task: Int, in directory: String) -> String { path(directory, "task-\(task).log") }

    /// How often task `task` requeued itself at its time limit's warning (its script counts).
    public static func requeues(task: Int, in directory: String) -> Int {
        (try? String(contentsOfFile: path(directory, "task-\(task).requeues"), encoding: .utf8)).flatMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        } ?? 0
    }
}
