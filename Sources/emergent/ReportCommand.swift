import ArgumentParser
import EmergentCore

/// `emergent report [--quick]`: the claim experiments in turn, then REPORT.md with the verdicts.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Test the initialization papers' claims on this machine, and write REPORT.md with the verdicts.",
        discussion: """
            Claims: \(ClaimCatalog.all.map(\.id).joined(separator: ", ")). Each claim's experiments (data/experiments/\
            claims/) tune each init's learning rate on a validation split, train 10 seeds an arm (3 with --quick), \
            check the claim's regime and judge with intervals, Holm-corrected and equivalence tests. Full mode: \
            Fashion-MNIST (Debian package dataset-fashion-mnist, else the embedded subset) and de-en-numbers, about \
            2 hours on 2 cores; run again on the same --out, it carries on.
            """)

    @Flag(help: "The embedded Fashion-MNIST subset and short runs (minutes, a smoke test rather than evidence).")
    var quick = false

    @Option(help: "The folder for REPORT.md, its plots and tables, and the run folders (default: ./report).")
    var out = "report"

    @Option(name: .customLong("claim"), help: "Only this claim (repeatable).")
    var only: [String] = []

    @Option(help: "Worker threads (1...256; default: one per core).")
    var workers: Int?

    @Option(help: "A directory holding CIFAR-10 binary batches: the image experiments train on it.")
    var dataDir: String?

    @Option(help: "Write the report from a report folder whose runs all finished (trained with --slurm); train nothing.")
    var collect: String?

    @OptionGroup(title: "On a Slurm cluster") var cluster: SlurmOptions

    func validate() throws {
        if cluster.dryRun { throw ValidationError("report --slurm submits as it goes; --dry-run is for run and sweep") }
        if collect != nil, cluster.slurm { throw ValidationError("give --slurm or --collect, not both") }
    }

    func run() throws {
        var report = try userFacing {
            try ClaimReportRun(only: only, out: collect ?? out, quick: quick, workers: workers, dataDirectory: dataDir)
        }
        report.training = collect != nil ? .nowhere : cluster.slurm ? .elsewhere : .here
        let outcome = try userFacing {
            try report.run(
                command: (["emergent"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
                onWriteFailure: HeadlessTraining.reportWriteFailure
            ) { experiment, session in
                HeadlessTraining.note(
                    "\(experiment.preset): \(session.manager.snapshots().count) runs on \(session.manager.workerCount) workers")
                return HeadlessTraining.train(session)
            }
        }
        switch outcome {
        case let .written(path): print(path)
        case let .unfinished(folders):
            let options = try cluster.script(fileArguments: [])
            let submission = ReportSubmission(submitter: SlurmCommands.submitter, out: out)
            print(try userFacing { try submission.submit(folders, options: options) }.text(arrayLimit: options.arrayLimit))
        }
    }
}
