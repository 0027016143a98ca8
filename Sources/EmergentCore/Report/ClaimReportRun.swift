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
    /// A directory holding CIFAR-10, which the image experiments then train on.
    public let dataDirectory: String?
    /// Where the runs train: here, elsewhere (a cluster's tasks; each walk prepares what can
    /// train next and leaves it), or nowhere (`--collect`: every folder must be finished).
    public var training = Training.here
    /// Run folders left unfinished by the walk, for the cluster (filled when training elsewhere).
    let left = UnfinishedRuns()

    public enum Training: Sendable { case here, elsewhere, nowhere }

    /// What a walk of the report came to: the report written, or run folders that must train
    /// (elsewhere) before the next experiments can be prepared.
    public enum Outcome: Sendable {
        case written(String)
        case unfinished(folders: [String])
    }

    /// The run folders a walk leaves for the cluster, in the order it met them.
    final class UnfinishedRuns: @unchecked Sendable {
        private let lock = NSLock()
        private var paths: [String] = []
        func add(_ more: [String]) { lock.withLock { paths += more.filter { !paths.contains($0) } } }
        var folders: [String] { lock.withLock { paths } }
    }

    /// The claims named in `only` (all when empty); an unknown name is refused with the list.
    public init(only: [String], out: String, quick: Bool, workers: Int?, dataDirectory: String? = nil) throws(UserError) {
        let known = ClaimCatalog.all.map(\.id)
        if let unknown = only.first(where: { !known.contains($0) }) {
            throw UserError("--claim '\(unknown)' is not a claim; the claims are \(known.joined(separator: ", "))")
        }
        claims = ClaimCatalog.all.filter { only.isEmpty || only.contains($0.id) }
        self.out = out
        self.quick = quick
        self.workers = workers
        self.dataDirectory = dataDirectory
        if let dataDirectory, CIFAR10.batchDirectory(dataDirectory) == nil {
            throw UserError("--data-dir: '\(dataDirectory)' holds no CIFAR-10 binary batches (data_batch_1.bin … test_batch.bin)")
        }
    }

    /// The image experiments' data: CIFAR-10 from `--data-dir`; else the full Fashion-MNIST when
    /// its Debian package is installed; else, and in quick mode, the embedded subset.
    var imageData: [(path: [String], value: JSONValue)] {
        if let dataDirectory {
            return [(["dataset"], .string("cifar10")), (["data_dir"], .string(dataDirectory))]
        }
        let installed = DatasetCatalog().entries().contains { $0.name == "fashion-mnist" && $0.available }
        return quick || installed ? [] : [(["dataset"], .string("fashion-mnist-small"))]
    }

    /// The datasets the experiments use, each with where it came from and its size, for the
    /// report's header.
    static func dataDescription(_ configs: [ExperimentConfig]) -> String {
        var names: [String] = []
        for config in configs where !names.contains(config.dataset) { names.append(config.dataset) }
        let entries = DatasetCatalog(userDirectory: configs.compactMap(\.dataDirectory).first).entries()
        return names.map { name in
            guard let entry = entries.first(where: { $0.name == name }) else { return name }
            let counts = entry.trainItems.map { train in
                "\(train) training and \(entry.testItems.map(String.init) ?? "?") test items, "
            } ?? ""
            return "\(name) (\(entry.kind); \(counts)\(entry.source)\(entry.location.map { $0 == "generated" ? "" : " at \($0)" } ?? ""))"
        }.joined(separator: "; ")
    }

    /// Every experiment as it will run: the file, quick mode's changes, the report's folders;
    /// loaded first, so a missing dataset or a bad file stops the report before any training.
    public func load() throws(UserError) -> [[ExperimentConfig]] {
        var overrides: [(path: [String], value: JSONValue)] = [
            (["runs_dir"], .string((out as NSString).appendingPathComponent("runs")))
        ]
        if let workers { overrides.append((["workers"], .number(Double(workers)))) }
        let imageData = self.imageData
        do {
            return try claims.map { claim in
                try claim.experiments.map { experiment in
                    let config = try ExperimentConfig.load(
                        experiment.preset, overrides: overrides,
                        adjusting: { document in
                            var adjusted = quick ? experiment.quickDocument(document) : document
                            guard case let .string(dataset)? = adjusted["dataset"],
                                !DatasetCatalog.translationNames.contains(dataset)
                            else { return adjusted }
                            for (path, value) in imageData { adjusted = adjusted.setting(path, to: value) }
                            return adjusted
                        })
                    _ = try ExperimentData.load(config)
                    return config
                }
            }
        } catch { throw UserError("\(error)") }
    }

    /// The session of one of the report's experiments in `out/runs/<config.folderName>`: a new
    /// one; or, when a stopped report left that folder, that one carried on (finished runs
    /// read back, the others resumed from their checkpoints). `expected` are the runs the
    /// experiment trains (a sweep's: every cell's). Returns whether it was resumed.
    func session(
        _ config: ExperimentConfig, expecting expected: [RunConfig], runsAtOnce: Int?,
        onWriteFailure: @escaping ExperimentSession.FailureHandler
    ) throws(UserError) -> (ExperimentSession, resumed: Bool)? {
        let directory = (config.runsDirectory as NSString).appendingPathComponent(config.folderName ?? config.name)
        let runFolders = (try? RunFolderReader.runFolderPaths(at: directory)) ?? []
        if training == .nowhere, runFolders.isEmpty {
            throw UserError(
                "\(directory) holds no runs: the report was not trained this far; run it (or submit it with --slurm) first")
        }
        // Trained elsewhere: folders a task may be writing are read, never opened to write.
        if training != .here, !runFolders.isEmpty {
            let open = runFolders.filter { (try? RunFolder(path: $0).hasEnded) != true }
            if !open.isEmpty {
                if training == .nowhere { throw Self.unfinished(open) }
                left.add(open)
                return nil
            }
        }
        guard config.folderName != nil, !runFolders.isEmpty else {
            // A folder a kill left before any run folder was made holds nothing to keep.
            if config.folderName != nil { try? FileManager.default.removeItem(atPath: directory) }
            return (
                try ExperimentSession(
                    config, purpose: "report", runsAtOnce: runsAtOnce, onWriteFailure: onWriteFailure), false
            )
        }
        // Its run folders, not the experiment folder: the runs are the report's own list, not
        // the file's entries, so nothing is added from the entries.
        let resumed: ResumedExperiment
        do { resumed = try ResumedExperiment(paths: runFolders) } catch { throw UserError(error.description) }
        // A folder of another report (quick against full, or other data or settings) is never
        // mixed into this one.
        let expected = Set(expected.map(Self.identity))
        if let stranger = resumed.runs.map(\.config).first(where: { !expected.contains(Self.identity($0)) }) {
            throw UserError(
                "\(directory) holds run '\(stranger.label)' (seed \(stranger.seed)) of another report: its dataset, model "
                    + "or settings are not this one's (\(quick ? "--quick" : "full mode")); give another --out, or remove "
                    + "the folder to start it again")
        }
        return (try ExperimentSession(resuming: resumed, workers: workers, onWriteFailure: onWriteFailure), true)
    }

    /// Trains one claim experiment (`config`, with `config.folderName` set) in its session,
    /// carrying on the one a stopped report left; `train` trains the session to its end and
    /// returns the summary.
    public func run(
        _ experiment: ClaimExperiment, _ config: ExperimentConfig, choice: LearningRateChoice? = nil,
        onWriteFailure: @escaping ExperimentSession.FailureHandler, train: (ExperimentSession) -> ExperimentSummary
    ) throws(UserError) -> ReproductionReport.ExperimentResult? {
        let clock = ContinuousClock.now
        var plan: SweepPlan?
        let session: ExperimentSession
        if let claimSweep = experiment.sweep {
            let grid: SweepGrid, cells: [SweepGrid.Cell]
            do {
                grid = try SweepGrid(parsing: quick ? claimSweep.quickAxes : claimSweep.axes)
                cells = try grid.cells(of: config, seeds: nil)
            } catch { throw UserError("\(experiment.preset): \(error.description)") }
            guard let (made, resumed) = try self.session(
                    config, expecting: cells.enumerated().flatMap { $1.runs(at: $0) }, runsAtOnce: nil,
                    onWriteFailure: onWriteFailure) else {
                return nil
            }
            session = made
            if resumed {
                // The folders were made cell by cell in grid order: the ids count the same way.
                var next = 0
                let ids = cells.enumerated().map { index, cell in
                    cell.runs(at: index).compactMap { run -> Int? in
                        defer { next += 1 }
                        return run.controlOf == nil ? next : nil
                    }
                }
                plan = SweepPlan(grid: grid, metric: claimSweep.metric, cells: cells, runIDs: ids)
            } else {
                plan = session.add(sweep: cells, grid: grid, metric: claimSweep.metric)
            }
        } else {
            // Arm by arm, an arm's seeds side by side: results are the same as all at once, and
            // memory holds one arm's runs (a transformer run needs most of a GiB).
            let arms = Self.arms(config.runs)
            let runsAtOnce = max(arms.map(\.count).max() ?? 1, workers ?? 1)
            guard let (made, resumed) = try self.session(
                    config, expecting: config.runs, runsAtOnce: runsAtOnce, onWriteFailure: onWriteFailure)
            else { return nil }
            session = made
            if resumed {
                let present = Set(session.manager.snapshots().map { "\($0.config.label) \($0.config.seed)" })
                let missing = config.runs.filter { !present.contains("\($0.label) \($0.seed)") }
                if !missing.isEmpty { session.add(inTurns: Self.arms(missing)) }
            } else {
                session.add(inTurns: arms)
            }
        }
        guard let summary = try self.train(session, train) else { return nil }
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
    ) throws(UserError) -> LearningRateChoice? {
        let arms = config.runs.filter { $0.controlOf == nil }
        var labels: [String] = []
        for run in arms where !labels.contains(run.label) { labels.append(run.label) }
        let firstRun = Dictionary(arms.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        let entries = try Self.entries(config)
        var search = LearningRateSearch(arms: labels, grid: tuning.grid)
        let epochs = quick ? tuning.quickEpochs : tuning.epochs
        let validationSize = quick ? tuning.quickValidationSize : tuning.validationSize
        var round = 0
        repeat {
            round += 1
            // One entry a rate of an arm (no control): the arm's own entry at that rate and length.
            let tuningEntries = search.pending.compactMap { pair -> JSONValue? in
                guard let entry = entries[pair.arm] else { return nil }
                return entry.setting(["label"], to: .string(Self.tuningLabel(pair.arm, pair.rate)))
                    .setting(["seeds"], to: .number(Double(tuning.seeds))).setting(["control"], to: .bool(false))
                    .setting(["optimizer", "lr"], to: .number(pair.rate)).setting(["epochs"], to: .number(Double(epochs)))
            }
            var tuningConfig = try reparsed(
                config,
                config.document.setting(["validation_size"], to: .number(Double(validationSize)))
                    .setting(["runs"], to: .array(tuningEntries)))
            tuningConfig.name = "\(config.name)-tuning-\(round)"
            tuningConfig.folderName = tuningConfig.name
            let groups = Self.arms(tuningConfig.runs)
            let pending = search.pending
            // Rates train a few at a time (one per worker), so only those count for memory.
            let workers = workers ?? config.workers ?? ProcessInfo.processInfo.activeProcessorCount
            guard
                let (session, resumed) = try self.session(
                    tuningConfig, expecting: tuningConfig.runs, runsAtOnce: max(workers, tuning.seeds),
                    onWriteFailure: onWriteFailure)
            else { return nil }
            // A few rates at a time: a search's runs need not all be in memory at once.
            if !resumed { session.add(inTurns: groups) }
            guard let summary = try self.train(session, train) else { return nil }
            if session.writer != nil { try session.writeSummary(summary) }
            for pair in pending {
                let runs = summary.runs.filter { $0.config.label == Self.tuningLabel(pair.arm, pair.rate) }
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
        train: (ClaimExperiment, ExperimentSession) -> ExperimentSummary = { _, session in session.finish() }
    ) throws(UserError) -> Outcome {
        let started = Date()
        let loaded = try load()
        var ledger = ReportTimeLedger(out: out)
        var results: [ReproductionReport.ClaimResult] = []
        for (claim, configs) in zip(claims, loaded) {
            var experiments: [ReproductionReport.ExperimentResult] = []
            for (experiment, config) in zip(claim.experiments, configs) {
                var config = config
                var choice: LearningRateChoice?
                if let tuning = experiment.tuning {
                    let clock = ContinuousClock.now
                    guard
                        let chosen = try tune(experiment, config, tuning, onWriteFailure: onWriteFailure, train: {
                            train(experiment, $0)
                        })
                    else { continue }
                    try ledger.add((ContinuousClock.now - clock).seconds, to: experiment.name)
                    let tuned = chosen.entries(
                        try Self.entries(config, in: config.document), fixedSeeds: ClaimExperiment.fixedRateSeeds)
                    config = try reparsed(config, config.document.setting(["runs"], to: .array(tuned)))
                    choice = chosen
                }
                config.folderName = config.name
                guard
                    let result = try run(
                        experiment, config, choice: choice, onWriteFailure: onWriteFailure, train: { train(experiment, $0) })
                else { continue }
                try ledger.add(result.seconds, to: experiment.name)
                experiments.append(result.taking(ledger.seconds[experiment.name] ?? result.seconds))
            }
            results.append(ReproductionReport.ClaimResult(claim: claim, experiments: experiments))
        }
        if !left.folders.isEmpty { return .unfinished(folders: left.folders) }
        let header = ReproductionReport.Header(
            command: command, machine: Self.machine, started: started, seconds: ledger.total,
            quick: quick, data: Self.dataDescription(loaded.flatMap { $0 }))
        return .written(try write(ReproductionReport(header: header, claims: results)))
    }

    /// `--collect` on a report with runs still to train.
    static func unfinished(_ folders: [String]) -> UserError {
        UserError(
            "\(folders.count) run\(folders.count == 1 ? " is" : "s are") not finished, as \(folders[0]): submit the "
                + "report again with --slurm (or train it here) before --collect")
    }

    /// The session's runs that have not ended, as run folder paths.
    static func unfinishedFolders(_ session: ExperimentSession) -> [String] {
        let folders = session.writer?.runFolders ?? [:]
        return session.manager.snapshots().filter { !$0.status.isTerminal }.compactMap { folders[$0.id] }
    }

    /// Trains a session as `training` says: here with `train`; elsewhere, leaving its
    /// unfinished runs for the cluster (nil); nowhere, refusing them.
    func train(
        _ session: ExperimentSession, _ train: (ExperimentSession) -> ExperimentSummary
    ) throws(UserError) -> ExperimentSummary? {
        guard training != .here else { return train(session) }
        let open = Self.unfinishedFolders(session)
        let summary = session.finish()
        guard !open.isEmpty else { return summary }
        if training == .nowhere { throw Self.unfinished(open) }
        left.add(open)
        return nil
    }

    /// What makes a run this report's: its label, seed, init and every setting but the live ones
    /// a run folder may have changed since.
    static func identity(_ run: RunConfig) -> String {
        let settings = run.settings
        return "\(run.label)|\(run.seed)|\(run.initializer)|\(settings.model)|\(settings.batchSize)|\(settings.epochs)"
            + "|\(settings.optimizer.kind)|\(settings.optimizer.learningRate)|\(settings.epochSize.map(String.init) ?? "all")"
    }

    /// A tuning run's label: its arm and rate.
    static func tuningLabel(_ arm: String, _ rate: Double) -> String { "\(arm) lr=\(CSVExport.number(rate))" }

    /// The experiment's run entries by label (a claim file labels every entry).
    static func entries(_ config: ExperimentConfig) throws(UserError) -> [String: JSONValue] {
        Dictionary(
            try entries(config, in: config.document).compactMap { entry in
                LearningRateChoice.label(of: entry).map { ($0, entry) }
            }, uniquingKeysWith: { first, _ in first })
    }

    static func entries(_ config: ExperimentConfig, in document: JSONValue) throws(UserError) -> [JSONValue] {
        guard case let .array(entries)? = document["runs"] else {
            throw UserError("\(config.name): the experiment has no list of runs")
        }
        return entries
    }

    /// `config` read again from `document` (its runs changed), with what the report set on it.
    func reparsed(_ config: ExperimentConfig, _ document: JSONValue) throws(UserError) -> ExperimentConfig {
        var parsed: ExperimentConfig
        do { parsed = try ExperimentConfig.parse(document, defaultName: config.name) } catch {
            throw UserError("\(config.name): \(error.description)")
        }
        parsed.folderName = config.folderName
        return parsed
    }

    /// The runs grouped by label (an arm's seeds), in the order the labels first appear.
    static func arms(_ runs: [RunConfig]) -> [[RunConfig]] {
        var labels: [String] = []
        for run in runs where !labels.contains(run.label) { labels.append(run.label) }
        return labels.map { label in runs.filter { $0.label == label } }
    }

    /// Writes REPORT.md, comparisons.csv, runs.csv and regimes.csv; returns REPORT.md's path.
    public func write(_ report: ReproductionReport) throws(UserError) -> String {
        let path = (out as NSString).appendingPathComponent("REPORT.md")
        try Self.write(report.markdown, to: path)
        try Self.write(report.csv, to: (out as NSString).appendingPathComponent("comparisons.csv"))
        try Self.write(report.runsCSV, to: (out as NSString).appendingPathComponent("runs.csv"))
        try Self.write(report.regimesCSV, to: (out as NSString).appendingPathComponent("regimes.csv"))
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
