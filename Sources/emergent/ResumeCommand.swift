import ArgumentParser
import EmergentCore
import Foundation

/// `emergent resume RUN_DIR`: continues a killed or stopped experiment (or one run of it)
/// from each run's last checkpoint; the metrics after it equal an uninterrupted run's.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an experiment's runs (or one run) from their last checkpoints, without the dashboard.",
        discussion: """
            RUN_DIR is an experiment folder (runs/<experiment>-<time>) or run folders in it. Each run goes on from \
            its newest checkpoint that reads back, is its own, and whose history is on disk (another is refused, \
            saying why, and the one before it is used); records after that checkpoint, from the epoch that was cut \
            short, are dropped. A run with no usable checkpoint starts again from step 0, its earlier files kept in \
            before-restart-<time>/; a run folder that cannot be rebuilt is named and left as it is, and the other \
            runs go on. A finished run stays finished. Only one process writes a folder at a time: a resume of a \
            folder that is still being written is refused, naming the process. On SIGUSR1 (a Slurm time \
            limit's warning) every run checkpoints at its next step and the command exits 99, for the task to be \
            requeued.
            """)

    @Argument(help: "An experiment folder, or run folders of one experiment.")
    var runDirectories: [String]

    @Option(help: "Worker threads (1...256; default: one per core).")
    var workers: Int?

    @Option(help: "Checkpoint every run every this many minutes, inside epochs too (0.05...1440).")
    var checkpointMinutes: Double?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if runDirectories.isEmpty { throw ValidationError("give an experiment folder or run folders") }
        try FlagRange.check("--workers", workers, 1...256)
        try FlagRange.check("--checkpoint-minutes", checkpointMinutes, 0.05...1440)
    }

    func run() throws {
        // From the start: a warning that comes while the data loads still stops the task cleanly.
        let warning = TimeLimitWarning()
        let resumed = try userFacing { try ResumedExperiment(paths: runDirectories) }
        let session = try userFacing {
            try ExperimentSession(resuming: resumed, workers: workers, onWriteFailure: HeadlessTraining.reportWriteFailure)
        }
        for repair in session.repairs { HeadlessTraining.note("emergent: \(repair)") }
        HeadlessTraining.note(resumed.plan)
        warning.attach(session)
        let timer = checkpointMinutes.map { session.checkpointPeriodically(minutes: $0) }
        defer { timer?.cancel() }
        let summary = HeadlessTraining.train(session)
        if warning.arrived {
            HeadlessTraining.note(
                "emergent: every run checkpointed at the time limit's warning; requeue the task to carry on")
            throw ExitCode(SlurmScript.requeueExitCode)
        }
        try HeadlessTraining.summarize(summary, session, json: json)
    }
}
