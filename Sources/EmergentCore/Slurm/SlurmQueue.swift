/// What Slurm says about a sweep's array tasks, read from `squeue` (tasks queued or running)
/// and `scontrol -o show job` (tasks that ended recently: the controller forgets them after
/// MinJobAge). No `sacct`: accounting is often disabled.
public enum SlurmQueue {
    public struct TaskState: Sendable, Equatable {
        public let job: Int
        public let task: Int
        /// Slurm's word: PENDING, RUNNING, COMPLETING, CANCELLED, TIMEOUT, FAILED…
        public let state: String
        public let reason: String?

        public init(job: Int, task: Int, state: String, reason: String? = nil) {
            self.job = job
            self.task = task
            self.state = state
            self.reason = reason
        }

        public var isQueued: Bool {
            ["PENDING", "REQUEUED", "REQUEUE_HOLD", "SUSPENDED", "CONFIGURING"].contains(state)
        }
        public var isRunning: Bool { ["RUNNING", "COMPLETING", "STAGE_OUT"].contains(state) }
    }

    /// The format `squeue -h -r -o` is asked for: array job id, task id, state, reason.
    public static let queueFormat = "%F|%K|%T|%r"

    /// squeue's lines for the jobs in `jobs`, by task index; a later job's task wins over an
    /// earlier one's (a resubmission). Lines of other jobs or of another shape are skipped.
    public static func parseQueue(_ text: String, jobs: [Int]) -> [Int: TaskState] {
        var states: [Int: TaskState] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count == 4, let job = Int(fields[0]), let rank = jobs.firstIndex(of: job),
                let task = Int(fields[1])
            else { continue }
            if let known = states[task], let knownRank = jobs.firstIndex(of: known.job), knownRank > rank { continue }
            states[task] = TaskState(
                job: job, task: task, state: fields[2], reason: fields[3] == "None" ? nil : fields[3])
        }
        return states
    }

    /// One line of `scontrol -o show job JOB_TASK`: its state, exit code and log; nil when
    /// the line is not a job's.
    public static func parseJob(_ line: String) -> (state: String, exitCode: String?, log: String?)? {
        func field(_ name: String) -> String? {
            guard let match = line.firstMatch(of: try! Regex("(?:^| )\(name)=(\\S+)")) else { return nil }
            return match.output[1].substring.map(String.init)
        }
        guard let state = field("JobState") else { return nil }
        return (state, field("ExitCode"), field("StdOut"))
    }

    /// `slurm/jobs.txt`: one submission a line, `JOB_ID INDICES` (`12 0-3,5`).
    public static func parseSubmissions(_ text: String) -> [(job: Int, tasks: [Int])] {
        text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let job = Int(parts[0]), let tasks = indices(String(parts[1])) else { return nil }
            return (job, tasks)
        }
    }

    /// The indices of an `--array` spec (`0-3,5`).
    public static func indices(_ spec: String) -> [Int]? {
        guard !spec.isEmpty else { return nil }
        var result: [Int] = []
        for part in spec.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(bounds.count), let first = bounds[0], let last = bounds.last!, first <= last else {
                return nil
            }
            result += Array(first...last)
        }
        return result
    }
}
