import ArgumentParser
import EmergentCore

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
            folder that is still being written is refused, naming the process.
            """)

    @Argument(help: "An experiment folder, or run folders of one experiment.")
    var runDirectories: [String]

    @Option(help: "Worker threads (1...256; default: one per core).")
    var workers: Int?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if runDirectories.isEmpty { throw ValidationError("give an experiment folder or run folders") }
        try FlagRange.check("--workers", workers, 1...256)
    }

    func run() throws {
        let resumed = try userFacing { try ResumedExperiment(paths: runDirectories) }
        let session = try userFacing {
            try ExperimentSession(resuming: resumed, workers: workers, onWriteFailure: HeadlessTraining.reportWriteFailure)
        }
        for repair in session.repairs { HeadlessTraining.note("emergent: \(repair)") }
        HeadlessTraining.note(resumed.plan)
        try HeadlessTraining.trainAndSummarize(session, json: json)
    }
}
