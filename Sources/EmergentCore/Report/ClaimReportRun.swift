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
        _ experiment: ClaimExperiment, in session: ExperimentSession, choice: LearningRateChoice? = nil,
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
            // Arm by arm, an arm's seeds side by side: results are the same as all at once, and
            // memory holds one arm's runs (a transformer run needs most of a GiB).
            session.add(inTurns: Self.arms(config.runs))
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
            seconds: (ContinuousClock.now - clock).seconds, choice: choice)
    }

    /// Chooses each arm's learning rate (an arm: the runs of one label, controls aside) on a
    /// validation split: every rate of the grid for `tuning.seeds` seeds, then, while an arm's
    /// best rate is on the edge of what it tried, one more past it. Each round is one session
    /// (`train` trains it) of its own run folders.
    public func tune(
        _ experiment: ClaimExperiment, _ config: ExperimentConfig, _ tuning: LearningRateTuning,
        onWriteFailure: @escaping ExperimentSession.FailureHandler, train: (ExperimentSession) -> ExperimentSummary
    ) throws(UserError) -> LearningRateChoice {
        let arms = config.runs.filter { $0.controlOf == nil }
        var labels: [String] = []
        for run in arms where !labels.contains(run.label) { labels.append(run.label) }
        let firstRun = Dictionary(arms.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        var search = LearningRateSearch(arms: labels, grid: tuning.grid)
        let epochs = quick ? tuning.quickEpochs : tuning.epochs
        let validationSize = quick ? tuning.quickValidationSize : tuning.validationSize
        var round = 0
        repeat {
            round += 1
            var tuningConfig = config
            tuningConfig.name = "\(config.name)-tuning-\(round)"
            tuningConfig.validationSize = validationSize
            tuningConfig.document = config.document.setting(["validation_size"], to: .number(Double(validationSize)))
            let groups = search.pending.enumerated().map { group, pair in
                (0..<tuning.seeds).map { seed in
                    var run = firstRun[pair.arm]!
                    run.label = "\(pair.arm) lr=\(CSVExport.number(pair.rate))"
                    run.seed = UInt64(seed)
                    run.group = group
                    run.settings.optimizer.learningRate = pair.rate
                    run.settings.epochs = epochs
                    return run
                }
            }
            tuningConfig.runs = groups.flatMap { $0 }
            let pending = search.pending
            // Rates train a few at a time (one per worker), so only those count for memory.
            let workers = workers ?? config.workers ?? ProcessInfo.processInfo.activeProcessorCount
            let session = try ExperimentSession(
                tuningConfig, purpose: "report", runsAtOnce: max(workers, tuning.seeds), onWriteFailure: onWriteFailure)
            // A few rates at a time: a search's runs need not all be in memory at once.
            session.add(inTurns: groups)
            let summary = train(session)
            if session.writer != nil { try session.writeSummary(summary) }
            for pair in pending {
                let runs = summary.runs.filter { $0.config.label == "\(pair.arm) lr=\(CSVExport.number(pair.rate))" }
                let values = runs.map { $0.divergedAt == nil ? $0.testMetric ?? -.infinity : -.infinity }
                search.record(
                    arm: pair.arm, rate: pair.rate,
                    score: values.isEmpty ? -.infinity : values.reduce(0, +) / Double(values.count))
            }
        } while search.extendEdges()
        return LearningRateChoice(
            search: search, fixed: firstRun.mapValues(\.settings.optimizer.learningRate), epochs: epochs,
            validationSize: validationSize, seeds: tuning.seeds)
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
                var config = config
                var choice: LearningRateChoice?
                if let tuning = experiment.tuning {
                    let chosen = try tune(experiment, config, tuning, onWriteFailure: onWriteFailure) {
                        train(experiment, $0)
                    }
                    config.runs = chosen.applied(to: config.runs, fixedSeeds: ClaimExperiment.fixedRateSeeds)
                    choice = chosen
                }
                let runsAtOnce = experiment.sweep == nil ? Self.arms(config.runs).map(\.count).max() : nil
                let session = try ExperimentSession(
                    config, purpose: "report", runsAtOnce: runsAtOnce.map { max($0, workers ?? 1) },
                    onWriteFailure: onWriteFailure)
                experiments.append(try run(experiment, in: session, choice: choice) { train(experiment, $0) })
            }
            results.append(ReproductionReport.ClaimResult(claim: claim, experiments: experiments))
        }
        let header = ReproductionReport.Header(
            command: command, machine: Self.machine, started: started, seconds: (ContinuousClock.now - clock).seconds,
            quick: quick)
        return try write(ReproductionReport(header: header, claims: results))
    }

    /// The runs grouped by label (an arm's seeds), in the order the labels first appear.
    static func arms(_ runs: [RunConfig]) -> [[RunConfig]] {
        var labels: [String] = []
        for run in runs where !labels.contains(run.label) { labels.append(run.label) }
        return labels.map { label in runs.filter { $0.label == label } }
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
