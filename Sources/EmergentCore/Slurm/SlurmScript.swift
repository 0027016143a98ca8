import Foundation

/// The sbatch script of a Slurm sweep: one job array whose task i carries on the run folders
/// on line i + 1 of `slurm/tasks.txt` with `emergent resume`, so a task that was killed or
/// requeued goes on from its last checkpoint, and one that finished stays finished. The
/// array's indices are given to sbatch at submission (`--array`), so a resubmission can name
/// only the tasks that are not done.
public struct SlurmScript: Sendable, Equatable {
    public struct Options: Sendable, Equatable {
        public var partition: String?
        /// Slurm's time format: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS.
        public var time: String?
        public var cpusPerTask = 1
        /// The largest array the cluster accepts (its MaxArraySize − 1 as a count).
        public var arrayLimit = 1000
        /// A site's own sbatch options (`--mem=4G`, `--account=abc`), passed through as
        /// `#SBATCH` lines after ours: the experiment file's `slurm.sbatch_args`, then `--sbatch-arg`.
        public var sbatchArguments: [String] = []
        /// At most this many of the array's tasks run at once (sbatch's `--array=…%N`).
        public var maxRunning: Int?
        /// Seconds before the time limit that Slurm warns a task (`--signal=B:USR1@SECONDS`):
        /// it checkpoints at its next step and is requeued. Nil: `defaultGrace` (less for a
        /// short `--time`).
        public var grace: Int?
        /// A checkpoint every this many minutes besides (`resume --checkpoint-minutes`), so a
        /// SIGKILL or a lost node costs at most that much.
        public var checkpointMinutes: Double?

        public static let defaultGrace = 120
        public static let graceRange = 5...86_400

        public init(
            partition: String? = nil, time: String? = nil, cpusPerTask: Int = 1, arrayLimit: Int = 1000,
            sbatchArguments: [String] = [], maxRunning: Int? = nil, grace: Int? = nil, checkpointMinutes: Double? = nil
        ) {
            self.grace = grace
            self.checkpointMinutes = checkpointMinutes
            self.partition = partition
            self.time = time
            self.cpusPerTask = cpusPerTask
            self.arrayLimit = arrayLimit
            self.sbatchArguments = sbatchArguments
            self.maxRunning = maxRunning
        }

        /// Options the job array sets itself, or that have a flag of their own here: a site
        /// argument may not set them (by long name, or the short letter sbatch takes for it).
        static let reserved: [(long: String, short: Character?, why: String)] = [
            ("--array", "a", "the job array sets it (to resubmit only what is unfinished); use --max-running for %N"),
            ("--output", "o", "the job array writes each task's log into the experiment folder"),
            ("--error", "e", "the job array writes each task's log into the experiment folder"),
            ("--open-mode", nil, "the job array appends to each task's log across requeues"),
            ("--requeue", nil, "the job array is always requeueable"), ("--no-requeue", nil, "the job array is requeueable"),
            ("--job-name", "J", "the job array is named after the experiment"), ("--wrap", nil, "the job array runs its script"),
            ("--parsable", nil, "emergent reads sbatch's answer itself"),
            ("--partition", "p", "use --partition"), ("--time", "t", "use --time"),
            ("--cpus-per-task", "c", "use --cpus-per-task"),
        ]

        /// Why a site argument cannot go into the script (nil when it can): it must be one
        /// option (`--mem=4G`, `-A abc` is two: write `--account=abc`), without spaces or quotes
        /// (`#SBATCH` lines cannot quote), and not one the job array controls.
        public static func problem(with argument: String) -> String? {
            guard argument.hasPrefix("-"), argument.count > 1 else {
                return "'\(EchoedValue.clipped(argument))' is not an sbatch option (it starts with -, as --mem=4G)"
            }
            if argument.contains(where: { $0.isWhitespace || "\"'\\$`".contains($0) }) {
                return "'\(EchoedValue.clipped(argument))' holds a space or quote, which an #SBATCH line cannot carry; "
                    + "give one option as --name=value"
            }
            let name = String(argument.prefix { $0 != "=" })
            let short = argument.hasPrefix("--") ? nil : argument.dropFirst().first
            if let rule = reserved.first(where: { $0.long == name || (short != nil && $0.short == short) }) {
                return "'\(argument)' sets \(rule.long), which emergent controls: \(rule.why)"
            }
            return nil
        }

        /// The options a user typed, checked; each error names the flag and what it takes.
        public func validated() throws(SweepError) -> Options {
            if let partition,
                partition.isEmpty || !partition.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) })
            {
                throw SweepError("--partition '\(partition)' is not a partition name (letters, digits, _ - .)")
            }
            if let time, time.wholeMatch(of: /(\d+-)?\d+(:\d{1,2}){0,2}/) == nil {
                throw SweepError(
                    "--time '\(time)' is not a Slurm time: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS")
            }
            guard (1...256).contains(cpusPerTask) else {
                throw SweepError("--cpus-per-task \(cpusPerTask) is out of range; it must be in 1...256")
            }
            guard (1...1_000_000).contains(arrayLimit) else {
                throw SweepError("--array-limit \(arrayLimit) is out of range; it must be in 1...1000000")
            }
            for argument in sbatchArguments {
                if let problem = Self.problem(with: argument) { throw SweepError("--sbatch-arg: \(problem)") }
            }
            if let maxRunning, !(1...1_000_000).contains(maxRunning) {
                throw SweepError("--max-running \(maxRunning) is out of range; it must be in 1...1000000")
            }
            if let grace, !Self.graceRange.contains(grace) {
                throw SweepError("--grace \(grace) is out of range; it must be in \(Self.graceRange) seconds")
            }
            if let grace, let time, let limit = Self.seconds(time), grace >= limit {
                throw SweepError(
                    "--grace \(grace) is not shorter than --time \(time) (\(limit) s): the warning would come before the task starts")
            }
            if let checkpointMinutes, !(checkpointMinutes.isFinite && (0.05...1440).contains(checkpointMinutes)) {
                throw SweepError("--checkpoint-minutes \(checkpointMinutes) is out of range; it must be in 0.05...1440")
            }
            return self
        }

        /// The warning's lead: the given grace, else 120 s, or a quarter of a shorter time limit.
        public var warningSeconds: Int {
            if let grace { return grace }
            guard let time, let limit = Self.seconds(time) else { return Self.defaultGrace }
            return min(Self.defaultGrace, max(Self.graceRange.lowerBound, limit / 4))
        }

        /// Seconds of a Slurm time (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS); nil when
        /// it is not one.
        public static func seconds(_ time: String) -> Int? {
            guard let match = time.wholeMatch(of: /(?:(\d+)-)?(\d+)(?::(\d{1,2}))?(?::(\d{1,2}))?/) else { return nil }
            let parts = [match.2, match.3, match.4].compactMap { $0.flatMap { Int($0) } }
            if let days = match.1.flatMap({ Int($0) }) {
                // D-HH, D-HH:MM, D-HH:MM:SS
                let units = [3600, 60, 1]
                return days * 86_400 + zip(parts, units).map(*).reduce(0, +)
            }
            switch parts.count {
            case 1: return parts[0] * 60  // MM
            case 2: return parts[0] * 60 + parts[1]  // MM:SS
            default: return parts[0] * 3600 + parts[1] * 60 + parts[2]  // HH:MM:SS
            }
        }
    }

    /// Folder of the script, `tasks.txt`, the task logs and exit codes, in the experiment folder.
    public static let folder = "slurm"
    public static let scriptFile = "sweep.sbatch"
    public static let tasksFile = "tasks.txt"
    /// What `resume` exits with once every run checkpointed at a time limit's warning: the
    /// script then requeues its task.
    public static let requeueExitCode: Int32 = 99
    /// Runs one array task trains at most, before a grid is too large for `--array-limit`.
    public static let runsPerTaskLimit = 64

    public let name: String
    /// The experiment folder, absolute.
    public let directory: String
    /// The `emergent` the tasks run, absolute (on a path every node sees).
    public let executable: String
    public let options: Options

    public init(name: String, directory: String, executable: String, options: Options) {
        self.name = name
        self.directory = directory
        self.executable = executable
        self.options = options
    }

    /// Characters a path in the script may not hold: `#SBATCH` lines cannot quote, and Slurm
    /// expands `%` in `--output`.
    public static func checkPath(_ path: String, what: String) throws(SweepError) {
        if let bad = path.first(where: { $0.isWhitespace || "%\"'\\$`".contains($0) }) {
            throw SweepError("\(what) '\(path)' holds '\(bad)', which a Slurm script cannot carry; use another path")
        }
    }

    /// Packs units (a cell's runs of one seed) into array tasks: one unit a task while they
    /// fit in `arrayLimit`, else the fewest units per task that fit.
    public static func tasks(_ units: [[String]], arrayLimit: Int) throws(SweepError) -> [[String]] {
        guard !units.isEmpty else { return [] }
        let perTask = (units.count + arrayLimit - 1) / arrayLimit
        let runs = units.map(\.count).max() ?? 1
        guard perTask * runs <= runsPerTaskLimit else {
            throw SweepError(
                "\(units.count) cell × seed tasks do not fit in --array-limit \(arrayLimit): each task would train "
                    + "\(perTask * runs) runs (at most \(runsPerTaskLimit)); raise --array-limit to the cluster's "
                    + "MaxArraySize, or sweep fewer cells")
        }
        return stride(from: 0, to: units.count, by: perTask).map { start in
            units[start..<min(start + perTask, units.count)].flatMap { $0 }
        }
    }

    /// sbatch's `--array` value for the tasks `indices`, throttled to `maxRunning` at once (`0-3,5%2`).
    public static func arrayArgument(_ indices: [Int], maxRunning: Int?) -> String {
        arraySpec(indices) + (maxRunning.map { "%\($0)" } ?? "")
    }

    /// `--array` for a set of task indices: ranges where they run on (`0-3,5,7-9`).
    public static func arraySpec(_ indices: [Int]) -> String {
        var parts: [String] = []
        var start: Int?, previous = -2
        for index in indices.sorted() {
            if index == previous + 1 {
                previous = index
                continue
            }
            if let start { parts.append(start == previous ? "\(start)" : "\(start)-\(previous)") }
            start = index
            previous = index
        }
        if let start { parts.append(start == previous ? "\(start)" : "\(start)-\(previous)") }
        return parts.joined(separator: ",")
    }

    /// ` --checkpoint-minutes N` for the task's resume, when asked for.
    var checkpointFlag: String {
        options.checkpointMinutes.map { " --checkpoint-minutes \(String(format: "%g", $0))" } ?? ""
    }

    /// Slurm's `--output` for the array: `SlurmFolder.logPath(task:in:)` once `%a` is the task.
    var logPattern: String { "\(directory)/\(Self.folder)/task-%a.log" }

    public var text: String {
        var lines = [
            "#!/usr/bin/env bash",
            "# Emergent runs as a Slurm job array, written by 'emergent sweep --slurm' or 'emergent run --slurm'.",
            "# Task i carries on the run folders on line i + 1 of \(Self.tasksFile) with 'emergent resume': a killed",
            "# or requeued task goes on from its last checkpoint. Submit it with: sbatch --array=INDICES \(Self.scriptFile)",
            "#SBATCH --job-name=emergent-\(name)",
            "#SBATCH --cpus-per-task=\(options.cpusPerTask)",
        ]
        if let time = options.time { lines.append("#SBATCH --time=\(time)") }
        lines.append("#SBATCH --signal=B:USR1@\(options.warningSeconds)")
        if let partition = options.partition { lines.append("#SBATCH --partition=\(partition)") }
        lines += options.sbatchArguments.map { "#SBATCH \($0)" }
        lines += [
            "#SBATCH --output=\(logPattern)",
            "#SBATCH --open-mode=append",
            "#SBATCH --requeue",
            "set -u",
            "dir='\(directory)'",
            "task=${SLURM_ARRAY_TASK_ID:?this script runs as a Slurm array task}",
            "folders=$(sed -n \"$((task + 1))p\" \"$dir/\(Self.folder)/\(Self.tasksFile)\")",
            "if [ -z \"$folders\" ]; then",
            "    echo \"emergent: task $task is not in $dir/\(Self.folder)/\(Self.tasksFile)\" >&2",
            "    echo 2 > \"$dir/\(Self.folder)/task-$task.exit\"",
            "    exit 2",
            "fi",
            "paths=()",
            "for folder in $folders; do paths+=(\"$dir/$folder\"); done",
            "rm -f \"$dir/\(Self.folder)/task-$task.exit\"",
            "echo \"emergent: task $task on $(hostname) at $(date -u +%FT%TZ): ${#paths[@]} runs\"",
            "# The time limit's warning (USR1 to this shell) goes to emergent, which checkpoints every run",
            "# at its next step and exits \(Self.requeueExitCode); the task is then requeued and carries on from there.",
            "'\(executable)' resume --workers \"${SLURM_CPUS_PER_TASK:-1}\"\(checkpointFlag) \"${paths[@]}\" &",
            "child=$!",
            "trap 'echo \"emergent: task $task: the time limit is near; checkpointing\"; kill -USR1 \"$child\" 2>/dev/null' USR1",
            "wait \"$child\"",
            "code=$?",
            "while kill -0 \"$child\" 2>/dev/null; do wait \"$child\"; code=$?; done",
            "if [ \"$code\" = \(Self.requeueExitCode) ]; then",
            "    echo \"emergent: task $task checkpointed; requeued at $(date -u +%FT%TZ)\"",
            "    count=\"$dir/\(Self.folder)/task-$task.requeues\"",
            "    echo $(( $(cat \"$count\" 2>/dev/null || echo 0) + 1 )) > \"$count\"",
            "    scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\" && exit 0",
            "    echo \"emergent: task $task: scontrol requeue failed; submit the sweep again to carry on\" >&2",
            "fi",
            "echo \"$code\" > \"$dir/\(Self.folder)/task-$task.exit\"",
            "exit \"$code\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
