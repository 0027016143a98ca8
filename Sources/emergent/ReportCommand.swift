import ArgumentParser
import EmergentCore

/// `emergent report [--quick]`: trains the claim experiments of `data/experiments/claims/`
/// one after another (each one's runs side by side), exports their plots, and writes
/// `REPORT.md` with a verdict per claim.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Test the initialization papers' claims on this machine, and write REPORT.md with the verdicts.",
        discussion: """
            Claims: \(ClaimCatalog.all.map(\.id).joined(separator: ", ")). Each claim's experiments (the files in \
            data/experiments/claims/, at least 3 seeds per run) train in turn; the report compares seed groups with \
            Welch's t-test and gives, claim by claim, where it holds and where it does not, with effect sizes, \
            p-values, plots and tables. The full mode uses Fashion-MNIST (Debian package dataset-fashion-mnist) and \
            de-en-numbers; --quick uses the embedded subset and two short epochs.
            """)

    @Flag(help: "The embedded Fashion-MNIST subset and short runs (minutes, a smoke test rather than evidence).")
    var quick = false

    @Option(help: "The folder for REPORT.md, its plots and tables, and the run folders (default: ./report).")
    var out = "report"

    @Option(name: .customLong("claim"), help: "Only this claim (repeatable).")
    var only: [String] = []

    @Option(help: "Worker threads (1...256; default: one per core).")
    var workers: Int?

    func run() throws {
        let report = try userFacing { try ClaimReportRun(only: only, out: out, quick: quick, workers: workers) }
        let path = try userFacing {
            try report.run(
                command: (["emergent"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
                onWriteFailure: HeadlessTraining.reportWriteFailure
            ) { experiment, session in
                HeadlessTraining.note(
                    "\(experiment.preset): \(session.manager.snapshots().count) runs on \(session.manager.workerCount) workers")
                return HeadlessTraining.train(session)
            }
        }
        print(path)
    }
}
