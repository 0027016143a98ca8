import Foundation

/// `emergent resume`: the runs of one experiment folder (or one run of it), each rebuilt
/// from its `config.json` and continued from its newest checkpoint that reads back. A run
/// with no checkpoint yet starts again from step 0; a finished run stays finished.
public struct ResumedExperiment: Sendable {
    public struct Run: Sendable {
        public let folder: RunFolder
        public let config: RunConfig
        public let choice: RunFolder.CheckpointChoice
    }

    public let directory: String
    public let experiment: ExperimentConfig
    public let runs: [Run]
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
        var runs: [Run] = []
        for runPath in paths {
            let folder = try RunFolder(path: runPath)
            let config = try folder.runConfig()
            let choice = folder.chooseCheckpoint()
            if choice.checkpoint == nil, !choice.refused.isEmpty {
                throw .noUsableCheckpoint(path: runPath, reasons: choice.refused)
            }
            runs.append(Run(folder: folder, config: config, choice: choice))
        }
        let first = runs[0].folder
        guard let document = first.config["experiment"] else {
            throw .invalidConfig(path: first.path, reason: "it lacks its experiment")
        }
        do { experiment = try ExperimentConfig.parse(document, defaultName: first.experimentName) } catch {
            throw .invalidConfig(path: first.path, reason: error.description)
        }
        let dataset = first.config["dataset"]
        let created =
            (try? String(
                contentsOfFile: (directory as NSString).appendingPathComponent(RunFolderLayout.experimentFile),
                encoding: .utf8))
            .flatMap { try? JSONParser.parse($0) }.flatMap { value -> Date? in
                if case let .string(text)? = value["created"] { ISO8601DateFormatter().date(from: text) } else { nil }
            } ?? Date()
        var checksum = ""
        if case let .string(text)? = dataset?["sha256"] { checksum = text }
        header = ExperimentHeader(
            name: first.experimentName, document: document, dataset: experiment.dataset, datasetChecksum: checksum,
            created: created)
        self.runs = runs
    }

    /// Adds every run to `manager` where it left off and returns the writer that goes on
    /// writing their folders (attached). Refused when the data is not what the runs trained on.
    public func start(
        on manager: RunManager, onError: @escaping RunFolderWriter.ErrorHandler
    ) throws(RunFolderError) -> RunFolderWriter {
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
        for run in runs {
            let checkpoint = run.choice.checkpoint
            try RunFolderWriter.cutBack(folder: run.folder.path, to: checkpoint)
            let trainer: Trainer
            var history: RunSnapshot?
            if let checkpoint {
                do { trainer = try Trainer(config: run.config, data: data, checkpoint: checkpoint) } catch {
                    throw .noUsableCheckpoint(path: run.choice.path ?? run.folder.path, reasons: [error.reason])
                }
                let folder = try RunFolder(path: run.folder.path)
                history = RunReplay(folder: folder, id: 0, config: run.config).snapshot
            } else {
                trainer = Trainer(config: run.config, data: data)
            }
            let id = manager.add(trainer, history: history)
            try writer.adopt(
                run: id, folder: run.folder.path, step: trainer.step, epoch: trainer.epoch,
                checkpointPath: run.choice.path)
        }
        writer.attach(to: manager)
        return writer
    }
}

extension ResumedExperiment {
    /// What a resume will do, run by run: from which checkpoint each goes on.
    public var plan: String {
        (["\(experiment.name): resuming \(runs.count) runs in \(directory)"]
            + runs.map { run in
                "  \(run.folder.name): "
                    + (run.choice.checkpoint.map { "from epoch \($0.epoch) (step \($0.step))" } ?? "from the start")
            }).joined(separator: "\n")
    }
}

extension ResumedExperiment {
    /// Each damaged checkpoint passed over, with the one used instead.
    public var refusals: [String] {
        runs.flatMap { $0.choice.refused.map { "\($0); using the one before it" } }
    }
}
