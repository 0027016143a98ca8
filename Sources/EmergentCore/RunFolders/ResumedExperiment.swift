import Foundation

/// `emergent resume`: the runs of one experiment folder (or some runs of it), each rebuilt
/// from its `config.json` and continued from its newest usable checkpoint. One broken run
/// never blocks the others: a run with no usable checkpoint starts again from step 0 (its
/// earlier files kept aside), a run folder that cannot be rebuilt is left as it is, and
/// each is said in `notes`. A finished run stays finished.
public struct ResumedExperiment: Sendable {
    public struct Run: Sendable {
        public let folder: RunFolder
        public let config: RunConfig
        public let choice: RunFolder.CheckpointChoice

        /// Checkpoints were there but none can be used: the run starts again from step 0.
        var restarts: Bool { choice.checkpoint == nil && !choice.refused.isEmpty }

        /// It ended (finished, diverged, cancelled, failed) and its folder is whole: it is kept
        /// as it ended. One whose checkpoints were refused (damaged, foreign) trains again from
        /// the last good one.
        var keptAsEnded: Bool { folder.hasEnded && choice.refused.isEmpty }

        /// Whether it trains on: not kept as it ended, and its checkpoint is not of its last
        /// epoch's end (a kill between that checkpoint and the 'finished' line).
        public var trainsOn: Bool {
            if keptAsEnded { return false }
            guard let header = choice.checkpoint?.header else { return true }
            return header.epoch < header.epochs || (header.batchInEpoch ?? 0) > 0
        }
    }

    public let directory: String
    public let experiment: ExperimentConfig
    public let runs: [Run]
    /// Whether these are all the experiment's runs (the resume then writes its summary).
    public let coversExperiment: Bool
    /// Entries of the experiment that have no run folder (a kill as the experiment began,
    /// before every folder was made): they start now. Only for a whole experiment that is
    /// not a sweep (a sweep's cells are its own documents).
    public let missing: [RunConfig]
    /// What the resume passes over or repairs, in words a user acts on: damaged or foreign
    /// checkpoints, runs that start again, folders that are left as they are.
    public let notes: [String]
    let header: ExperimentHeader

    /// Reads the folders at `path`: a run folder or an experiment folder.
    public init(path: String) throws(RunFolderError) { try self.init(paths: [path]) }

    /// Reads the folders at `paths`: run folders of one experiment, or one experiment folder.
    public init(paths given: [String]) throws(RunFolderError) {
        var paths: [String] = []
        for path in given {
            for run in try RunFolderReader.runFolderPaths(at: path) where !paths.contains(run) { paths.append(run) }
        }
        let parents = Set(paths.map { ($0 as NSString).deletingLastPathComponent })
        guard parents.count == 1, let directory = parents.first else {
            throw .notARunFolder(
                path: given.joined(separator: " "),
                reason: "they hold \(parents.count) experiments; resume one experiment folder at a time")
        }
        self.directory = directory
        var notes: [String] = []
        let wholeExperiment = given.contains { (($0 as NSString).standardizingPath) == (directory as NSString).standardizingPath }
        var skipped = 0
        if wholeExperiment {
            for orphan in RunFolderReader.runFoldersWithoutConfig(in: directory) {
                notes.append(
                    "\(orphan) has no \(RunFolderLayout.configFile), so it cannot be rebuilt; it is left as it is and not resumed")
                skipped += 1
            }
        }
        var runs: [Run] = []
        var firstFailure: RunFolderError?
        for runPath in paths {
            do throws(RunFolderError) {
                let folder = try RunFolder(path: runPath)
                runs.append(Run(folder: folder, config: try folder.runConfig(), choice: folder.chooseCheckpoint()))
            } catch {
                firstFailure = firstFailure ?? error
                notes.append("\(error.description); that run is left as it is and not resumed")
                skipped += 1
            }
        }
        guard let first = runs.first?.folder else {
            throw firstFailure ?? .notARunFolder(path: directory, reason: "it holds no run that can be resumed")
        }
        for run in runs {
            if let used = run.choice.path {
                notes += run.choice.refused.map { "\($0); using \((used as NSString).lastPathComponent) instead" }
            } else if run.restarts {
                notes += run.choice.refused
                notes.append(
                    "\(run.folder.path): no checkpoint can be used, so the run starts again from step 0; "
                        + "its earlier files are kept in \(RunFolderLayout.setAsideFolder)-<time>/")
            }
        }
        guard let document = first.config["experiment"] else {
            throw .invalidConfig(path: first.path, reason: "it lacks its experiment")
        }
        do { experiment = try ExperimentConfig.parse(document, defaultName: first.experimentName) } catch {
            throw .invalidConfig(path: first.path, reason: error.description)
        }
        let dataset = first.config["dataset"]
        let created =
            (try? TextFile.read((directory as NSString).appendingPathComponent(RunFolderLayout.experimentFile)).get())
            .flatMap { try? JSONParser.parse($0) }.flatMap { value -> Date? in
                if case let .string(text)? = value["created"] { ISO8601DateFormatter().date(from: text) } else { nil }
            } ?? Date()
        var checksum = ""
        if case let .string(text)? = dataset?["sha256"] { checksum = text }
        header = ExperimentHeader(
            name: first.experimentName, document: document, dataset: experiment.dataset, datasetChecksum: checksum,
            created: created)
        self.runs = runs
        let all = (try? RunFolderReader.runFolderPaths(at: directory))?.count ?? 0
        coversExperiment = skipped == 0 && runs.count >= all
        var missing: [RunConfig] = []
        if wholeExperiment, coversExperiment,
            !FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(SweepManifest.fileName))
        {
            let present = Set(
                runs.filter { $0.config.origin.edits.isEmpty }.map { $0.config.origin.entry })
            for (entry, config) in experiment.runs.enumerated() where !present.contains(entry) {
                missing.append(config)
                notes.append(
                    "run \(config.label) (seed \(config.seed)) of the experiment had no folder yet (it was stopped as it began); it starts now")
            }
        }
        self.missing = missing
        self.notes = notes
    }

    /// Takes the folders' locks: the experiment's alone when every run is resumed, else the
    /// experiment's shared and each resumed run's own, so other runs of it (a Slurm job
    /// array's other tasks) may train at the same time.
    public func lock() throws(RunFolderError) -> [FolderLock] {
        if coversExperiment { return [try FolderLock.acquire(directory, mode: .exclusive, purpose: "resume")] }
        var locks = [try FolderLock.acquire(directory, mode: .shared, purpose: "resume")]
        for run in runs { locks.append(try FolderLock.acquire(run.folder.path, mode: .exclusive, purpose: "resume")) }
        return locks
    }

    /// Adds every run to `manager` where it left off and returns the writer that goes on
    /// writing their folders (attached), with what was repaired on the way (a checkpoint this
    /// build cannot continue, so its run starts again). Refused when the data is not what
    /// the runs trained on. Call with the folders' locks held.
    public func start(
        on manager: RunManager, onError: @escaping RunFolderWriter.ErrorHandler
    ) throws(RunFolderError) -> (writer: RunFolderWriter, notes: [String]) {
        let data = manager.data
        let checksum = data.contentChecksum()
        guard header.datasetChecksum.isEmpty || checksum == header.datasetChecksum else {
            throw .invalidConfig(
                path: (runs[0].folder.path as NSString).appendingPathComponent(RunFolderLayout.configFile),
                reason:
                    "the runs trained on \(header.dataset) with SHA-256 \(header.datasetChecksum); the data here has \(checksum), so a resume would not continue the same run"
            )
        }
        let writer = RunFolderWriter(directory: directory, header: header, onError: onError)
        var notes: [String] = []
        for run in runs {
            // A run that ended (finished, diverged, cancelled, failed) stays as it ended: its folder
            // is kept whole (the records after its last checkpoint are the truth, not a cut-short
            // epoch), nothing is added to it, and its trainer is terminal.
            if run.keptAsEnded {
                let trainer =
                    (try? run.choice.checkpoint.map { try Trainer(config: run.config, data: data, checkpoint: $0) })
                    ?? nil ?? Trainer(config: run.config, data: data)
                if trainer.status != .done { trainer.cancel { _ in } }
                let history = RunReplay(folder: run.folder, id: 0, config: run.config).snapshot
                let id = manager.add(trainer, history: history)
                try writer.adopt(
                    run: id, folder: run.folder.path, identity: run.folder.identity,
                    batchSize: run.config.settings.batchSize, step: trainer.step, epoch: trainer.epoch,
                    checkpointPath: run.choice.path, finished: true)
                continue
            }
            var checkpoint = run.choice.checkpoint
            var restarts = run.restarts
            var trainer: Trainer?
            var history: RunSnapshot?
            if let usable = checkpoint {
                do {
                    trainer = try Trainer(config: run.config, data: data, checkpoint: usable)
                    history = RunReplay(folder: try RunFolder(path: run.folder.path), id: 0, config: run.config)
                        .snapshot
                } catch {
                    notes.append(
                        "\(run.choice.path ?? run.folder.path) cannot be continued (\(error)); the run starts again from step 0, "
                            + "its earlier files kept in \(RunFolderLayout.setAsideFolder)-<time>/")
                    checkpoint = nil
                    trainer = nil
                    restarts = true
                }
            }
            if restarts { try RunFolderWriter.setAside(folder: run.folder.path) }
            try RunFolderWriter.cutBack(folder: run.folder.path, to: checkpoint)
            let resumed = trainer ?? Trainer(config: run.config, data: data)
            let id = manager.add(resumed, history: history)
            try writer.adopt(
                run: id, folder: run.folder.path, identity: run.folder.identity,
                batchSize: run.config.settings.batchSize, step: resumed.step,
                epoch: resumed.epoch, checkpointPath: checkpoint == nil ? nil : run.choice.path,
                trainedOut: resumed.status == .done)
        }
        writer.attach(to: manager)
        for config in missing {
            let id = manager.add(config)
            _ = try writer.prepare(run: id, config: config, stepsPerEpoch: manager.snapshot(id)?.stepsPerEpoch ?? 1)
        }
        return (writer, notes)
    }
}

extension ResumedExperiment {
    /// What a resume will do, run by run: from which checkpoint each goes on.
    public var plan: String {
        (["\(experiment.name): resuming \(runs.count) runs in \(directory)"]
            + runs.map { run in
                "  \(run.folder.name): "
                    + (run.choice.checkpoint.map { "from epoch \($0.epoch) (step \($0.step))" }
                        ?? (run.restarts ? "again from the start (no usable checkpoint)" : "from the start"))
            }).joined(separator: "\n")
    }
}
