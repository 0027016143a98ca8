import ArgumentParser
import EmergentCore

/// The flags of `sweep --slurm` and `run --slurm`.
struct SlurmOptions: ParsableArguments {
    @Flag(help: "Submit to Slurm as one job array (a task per cell × seed, or per run) instead of training here.")
    var slurm = false

    @Option(help: "With --slurm: the partition to submit to.")
    var partition: String?

    @Option(help: "With --slurm: each task's time limit in Slurm's format (30, 2:00:00, 1-12).")
    var time: String?

    @Option(help: "With --slurm: cores per task, its training workers (1...256; default 1).")
    var cpusPerTask = 1

    @Option(help: "With --slurm: the largest job array the cluster takes (default 1000); larger grids pack tasks.")
    var arrayLimit = 1000

    @Option(help: "With --slurm: a site's sbatch option, one --name=value (--sbatch-arg=--mem=4G); repeatable.")
    var sbatchArg: [String] = []

    @Option(help: "With --slurm: at most this many tasks run at once (the array's %N).")
    var maxRunning: Int?

    @Option(help: "With --slurm: seconds before the time limit to checkpoint and requeue (default 120).")
    var grace: Int?

    @Option(help: "With --slurm: a checkpoint every this many minutes, mid-epoch too (0.05...1440).")
    var checkpointMinutes: Double?

    @Flag(help: "With --slurm: print the sbatch script and command, and submit nothing.")
    var dryRun = false

    func validate() throws {
        guard !slurm else { return }
        let given = [
            ("--partition", partition != nil), ("--time", time != nil), ("--cpus-per-task", cpusPerTask != 1),
            ("--array-limit", arrayLimit != 1000), ("--dry-run", dryRun), ("--sbatch-arg", !sbatchArg.isEmpty),
            ("--max-running", maxRunning != nil), ("--grace", grace != nil),
            ("--checkpoint-minutes", checkpointMinutes != nil),
        ].filter(\.1).map(\.0)
        if let first = given.first { throw ValidationError("\(first) needs --slurm") }
    }

    /// The script's options: the experiment file's sbatch arguments, then the flags'.
    func script(fileArguments: [String]) throws -> SlurmScript.Options {
        let options = SlurmScript.Options(
            partition: partition, time: time, cpusPerTask: cpusPerTask, arrayLimit: arrayLimit,
            sbatchArguments: fileArguments + sbatchArg, maxRunning: maxRunning, grace: grace,
            checkpointMinutes: checkpointMinutes)
        return try userFacing { try options.validated() }
    }
}
