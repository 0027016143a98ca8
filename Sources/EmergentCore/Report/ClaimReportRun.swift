import Foundation

/// `emergent report`'s work: every claim's experiments trained in turn (each one's runs side
/// by side, as an experiment session), their plots and sweep tables exported into the
/// report folder, and the report with its comparisons written.
public struct ClaimReportRun {
    public let claims: [Claim]
    /// The folder of REPORT.md, its plots and tables, and the run folders.
    public let out: String
    public let quick: Bool
    public let workers: Int?

    /// The claims named in `only` (all when empty); an unknown name is refused with the list.
    public init(only: [String], out: String, quick: Bool, workers: Int?) throws(UserError) {
        let known = ClaimCatalog.all.map(\.id)
        if let unknown = only.first(where: { !known.contains($0) }) {
            throw UserError("--claim '\(unknown)' is not a claim; the claims are \(known.joined(separator: ", "))")
        }
        claims = ClaimCatalog.all.filter { only.isEmpty || only.contains($0.id) }
        self.out = out
        self.quick = quick
        self.workers = workers
    }

    /// Every experiment as it will run: the file, quick mode's changes, the report's folders;
    /// loaded first, so a missing dataset or a bad file stops the report before any training.
    public func load() throws(UserError) -> [[ExperimentConfig]] {
        var overrides: [(path: [String], value: JSONValue)] = [
            (["runs_dir"], .string((out as NSString).appendingPathComponent("runs")))
        ]
        if let workers { overrides.append((["workers"], .number(Double(workers)))) }
        do {
            return try claims.map { claim in
                try claim.experiments.map { experiment in
                    let config = try ExperimentConfig.load(
                        experiment.preset, overrides: overrides, adjusting: quick ? experiment.quickDocument : { $0 })
                    _ = try ExperimentData.load(config)
                    return config
                }
            }
        } catch { throw UserError("\(error)") }
    }

    /// Trains one claim experiment in `session` (made from `config`, its runs not added yet);
    /// `train` trains the session to its end and returns the summary.
    public func run(
        _ experiment: ClaimExperiment, in session: ExperimentSession,
        train: (ExperimentSession) -> ExperimentSummary
    ) throws(UserError) -> ReproductionReport.ExperimentResult {
        let clock = ContinuousClock.now
        let config = session.config
        var plan: SweepPlan?
        if let claimSweep = experiment.sweep {
            do {
                let grid = try SweepGrid(parsing: quick ? claimSweep.quickAxes : claimSweep.axes)
                plan = session.add(sweep: try grid.cells(of: config, seeds: nil), grid: grid, metric: claimSweep.metric)
            } catch { throw UserError("\(experiment.preset): \(error.description)") }
        } else {
            session.add(config.runs)
        }
        let summary = train(session)
        let runs = summary.runs
        let result = plan?.result(runs)
        var files: [String] = []
        if let writer = session.writer {
            let folder = (out as NSString).appendingPathComponent(experiment.name)
            try session.writeSummary(summary)
            do throws(RunFolderError) {
                let exported = try ExportedExperiment(path: writer.directory)
                files = try ExperimentExporter(exported).write([.svg], to: folder).map { "\(experiment.name)/\($0)" }
            } catch { throw UserError(error.description) }
            if let result {
                try Self.write(result.csv, to: (folder as NSString).appendingPathComponent("sweep.csv"))
                files.append("\(experiment.name)/sweep.csv")
            }
        }
        if let failure = runs.compactMap(\.failure).first {
            throw UserError("\(experiment.preset): a run failed: \(failure)")
        }
        return ReproductionReport.ExperimentResult(
            experiment: experiment, config: config, runs: runs, sweep: result, files: files,
            seconds: (ContinuousClock.now - clock).seconds)
    }

    /// Every claim's experiments in turn, each in a new session (`onWriteFailure` hears its
    /// folders' write failures) trained by `train`; then REPORT.md and comparisons.csv, whose
    /// path is returned. `command` is how the report was asked for, for its header.
    public func run(
        command: String, onWriteFailure: @escaping ExperimentSession.FailureHandler,
        train: (ClaimExperiment, ExperimentSession) -> ExperimentSummary
    ) throws(UserError) -> String {
        let started = Date()
        let clock = ContinuousClock.now
        let loaded = try load()
        var results: [ReproductionReport.ClaimResult] = []
        for (claim, configs) in zip(claims, loaded) {
            var experiments: [ReproductionReport.ExperimentResult] = []
            for (experiment, config) in zip(claim.experiments, configs) {
                let session = try ExperimentSession(config, purpose: "report", onWriteFailure: onWriteFailure)
                experiments.append(try run(experiment, in: session) { train(experiment, $0) })
            }
            results.append(ReproductionReport.ClaimResult(claim: claim, experiments: experiments))
        }
        let header = ReproductionReport.Header(
            command: command, machine: Self.machine, started: started, seconds: (ContinuousClock.now - clock).seconds,
            quick: quick)
        return try write(ReproductionReport(header: header, claims: results))
    }

    /// Writes REPORT.md, comparisons.csv and runs.csv; returns REPORT.md's path.
    public func write(_ report: ReproductionReport) throws(UserError) -> String {
        let path = (out as NSString).appendingPathComponent("REPORT.md")
        try Self.write(report.markdown, to: path)
        try Self.write(report.csv, to: (out as NSString).appendingPathComponent("comparisons.csv"))
        try Self.write(report.runsCSV, to: (out as NSString).appendingPathComponent("runs.csv"))
        return path
    }

    /// Writes a file of the report (a temporary file renamed over it), its folder made first.
    static func write(_ text: String, to path: String) throws(UserError) {
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch { throw UserError("cannot write \(path): \(error.localizedDescription)") }
    }

    /// The CPU model, its cores, the memory and the GEMM kernels in use.
    public static var machine: String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores, "
            + String(format: "%.0f GiB", memory) + ", kernels \(BuildInfo.instructionSet)"
    }
}
