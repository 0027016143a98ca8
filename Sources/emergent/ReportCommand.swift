import ArgumentParser
import EmergentCore
import Foundation

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
        let known = ClaimCatalog.all.map(\.id)
        if let unknown = only.first(where: { !known.contains($0) }) {
            throw ValidationError(
                "--claim '\(unknown)' is not a claim; the claims are \(known.joined(separator: ", "))")
        }
        let claims = ClaimCatalog.all.filter { only.isEmpty || only.contains($0.id) }
        let started = Date()
        let clock = ContinuousClock.now
        // Load every experiment first, so a missing dataset or a bad file stops the report before any training.
        let loaded = try claims.map { claim in try claim.experiments.map { try load($0) } }
        var results: [ReproductionReport.ClaimResult] = []
        for (claim, configs) in zip(claims, loaded) {
            var experiments: [ReproductionReport.ExperimentResult] = []
            for (experiment, config) in zip(claim.experiments, configs) {
                experiments.append(try train(experiment, config))
            }
            results.append(ReproductionReport.ClaimResult(claim: claim, experiments: experiments))
        }
        let header = ReproductionReport.Header(
            command: (["emergent"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
            machine: Self.machine, started: started, seconds: (ContinuousClock.now - clock).seconds, quick: quick)
        let report = ReproductionReport(header: header, claims: results)
        let path = (out as NSString).appendingPathComponent("REPORT.md")
        try Self.write(report.markdown, to: path)
        try Self.write(report.csv, to: (out as NSString).appendingPathComponent("comparisons.csv"))
        print(path)
    }

    /// A claim experiment as it will run: the file, quick mode's changes, the report's folders.
    func load(_ experiment: ClaimExperiment) throws -> ExperimentConfig {
        var overrides: [(path: [String], value: JSONValue)] = [
            (["runs_dir"], .string((out as NSString).appendingPathComponent("runs")))
        ]
        if let workers { overrides.append((["workers"], .number(Double(workers)))) }
        let config: ExperimentConfig
        do {
            config = try ExperimentConfig.load(
                experiment.preset, overrides: overrides, adjusting: quick ? experiment.quickDocument : { $0 })
        } catch { throw ValidationError(error.description) }
        do { _ = try ExperimentData.load(config) } catch { throw ValidationError(error.description) }
        return config
    }

    func train(_ experiment: ClaimExperiment, _ config: ExperimentConfig) throws -> ReproductionReport.ExperimentResult
    {
        let clock = ContinuousClock.now
        let session = try userFacing { try ExperimentSession(config, onWriteFailure: HeadlessTraining.reportWriteFailure) }
        var plan: SweepPlan?
        if let claimSweep = experiment.sweep {
            plan = try userFacing {
                do {
                    let grid = SweepGrid(axes: try (quick ? claimSweep.quickAxes : claimSweep.axes).map(SweepGrid.axis))
                    return session.add(sweep: try grid.cells(of: config, seeds: nil), grid: grid, metric: claimSweep.metric)
                } catch { throw SweepError("\(experiment.preset): \(error)") }
            }
        } else {
            session.add(config.runs)
        }
        HeadlessTraining.note("\(experiment.preset): \(session.manager.snapshots().count) runs on \(session.manager.workerCount) workers")
        let summary = HeadlessTraining.train(session)
        let runs = summary.runs
        let result = plan?.result(runs)
        var files: [String] = []
        if let writer = session.writer {
            let folder = (out as NSString).appendingPathComponent(experiment.name)
            try userFacing {
                try session.writeSummary(summary)
                let exported = try ExportedExperiment(path: writer.directory)
                files = try ExperimentExporter(exported).write([.svg], to: folder).map { "\(experiment.name)/\($0)" }
            }
            if let result {
                try Self.write(result.csv, to: (folder as NSString).appendingPathComponent("sweep.csv"))
                files.append("\(experiment.name)/sweep.csv")
            }
        }
        if let failure = runs.compactMap(\.failure).first {
            throw ValidationError("\(experiment.preset): a run failed: \(failure)")
        }
        return ReproductionReport.ExperimentResult(
            experiment: experiment, config: config, runs: runs, sweep: result, files: files,
            seconds: (ContinuousClock.now - clock).seconds)
    }

    /// Writes a file of the report (a temporary file renamed over it), its folder made first.
    static func write(_ text: String, to path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch { throw ValidationError("cannot write \(path): \(error.localizedDescription)") }
    }

    /// The CPU model, its cores, the memory and the GEMM kernels in use.
    static var machine: String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores, "
            + String(format: "%.0f GiB", memory) + ", kernels \(BuildInfo.instructionSet)"
    }
}
