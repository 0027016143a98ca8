import Foundation

/// A sweep (or an experiment's runs) as one Slurm job array: the run folders are made here,
/// each task carries its folders on with `emergent resume`, and the state is read back from
/// the folders and from Slurm. Submitting the same sweep again submits only what is not done.
public struct SlurmSubmitter {
    public let cluster: any SlurmCluster
    /// The emergent binary the tasks run: it must be on a path the nodes share.
    public let executable: String

    /// What a submission did, for the command to print.
    public enum Outcome {
        /// Nothing submitted: the script, what it holds, and the sbatch command it would take.
        case dryRun(script: String, summary: String, command: String)
        case submitted(job: Int, summary: String, directory: String)
        /// The same sweep was found in `directory`; its unfinished tasks went again.
        case resubmitted(job: Int, tasks: [Int], directory: String, status: SweepStatus)
        case nothingToSubmit(directory: String, status: SweepStatus)
    }

    public init(cluster: any SlurmCluster, executable: String) {
        self.cluster = cluster
        self.executable = Self.absolute(executable)
    }

    public static func absolute(_ path: String) -> String {
        let full =
            path.hasPrefix("/")
            ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (full as NSString).standardizingPath
    }

    public func submit(
        _ submission: SweepSubmission, options: SlurmScript.Options, dryRun: Bool
    ) throws(SweepError) -> Outcome {
        let tasks = try SlurmScript.tasks(submission.units, arrayLimit: options.arrayLimit)
        if !dryRun, !cluster.canSubmit {
            throw SweepError(
                "Slurm's sbatch is not on the PATH: --slurm needs a Slurm cluster's commands (sbatch, squeue, scontrol)")
        }
        let config = submission.config
        let root = Self.absolute(config.runsDirectory)
        try SlurmScript.checkPath(root, what: "the runs directory")
        try SlurmScript.checkPath(executable, what: "the emergent binary")
        if !dryRun, let existing = existingFolder(root: root, name: config.name, identity: submission.identity) {
            return try resubmit(
                existing, script: SlurmScript(name: config.name, directory: existing, executable: executable, options: options))
        }
        func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        let summary =
            "\(counted(tasks.count, "array task")) for \(counted(submission.cells.count, "cell")) "
            + "(\(counted(submission.runs.count, "run")), \(counted(options.cpusPerTask, "core")) each)"
        if dryRun {
            let directory = "\(root)/\(config.name)-<yyyyMMdd-HHmmss>"
            let script = SlurmScript(name: config.name, directory: directory, executable: executable, options: options)
            return .dryRun(
                script: script.text, summary: summary,
                command:
                    "sbatch --array=\(SlurmScript.arrayArgument(Array(tasks.indices), maxRunning: options.maxRunning)) \(directory)/\(SlurmScript.folder)/\(SlurmScript.scriptFile)"
            )
        }
        let directory = try prepareFolders(submission, root: root, tasks: tasks, options: options)
        let script = SlurmScript(name: config.name, directory: directory, executable: executable, options: options)
        do {
            let job = try write(script, andSubmit: Array(tasks.indices))
            return .submitted(job: job, summary: summary, directory: directory)
        } catch {
            // sbatch refused (a site option it does not know, a partition that is not there):
            // no job holds the folder, so nothing of it stays behind.
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Makes the experiment folder with every run's folder and `config.json`, the manifest
    /// and the task list; returns the folder.
    func prepareFolders(
        _ submission: SweepSubmission, root: String, tasks: [[String]], options: SlurmScript.Options
    ) throws(SweepError) -> String {
        let config = submission.config
        let data: ExperimentData
        do { data = try ExperimentData.load(config) } catch { throw SweepError(error.description) }
        do throws(RunFolderError) {
            let writer = try RunFolderWriter(root: root, experiment: config, data: data) { _, _ in }
            let names = SweepSubmission.folderNames(submission.runs)
            for (id, run) in submission.runs.enumerated() {
                if let document = submission.documents[run.group] {
                    writer.use(document: document, forGroup: run.group)
                }
                let folder = try writer.prepare(
                    run: id, config: run,
                    stepsPerEpoch: Trainer.stepsPerEpoch(run.settings, trainCount: data.trainCount))
                guard (folder as NSString).lastPathComponent == names[id] else {
                    throw RunFolderError.writeFailed(path: folder, reason: "expected the run folder \(names[id])")
                }
            }
            var manifest = submission.manifest(tasks: tasks)
            manifest.sbatchArguments = options.sbatchArguments
            manifest.maxRunning = options.maxRunning
            try manifest.write(to: writer.directory)
            try SlurmFolder.writeTasks(tasks, in: writer.directory)
            return writer.directory
        } catch {
            throw SweepError("\(error.description) (the runs directory must be writable, and shared with the nodes)")
        }
    }

    /// Writes the script (with this submission's options) and submits the tasks; the job id
    /// is recorded in `slurm/jobs.txt`.
    func write(_ script: SlurmScript, andSubmit indices: [Int]) throws(SweepError) -> Int {
        let path: String
        do { path = try SlurmFolder.writeScript(script) } catch { throw SweepError(error.description) }
        let job = try cluster.submit(
            script: path, array: SlurmScript.arrayArgument(indices, maxRunning: script.options.maxRunning))
        do { try SlurmFolder.recordSubmission(job: job, indices: indices, in: script.directory) } catch {
            throw SweepError("job \(job) was submitted, but \(error.description)")
        }
        return job
    }

    /// The newest experiment folder of the same sweep under `root`.
    func existingFolder(root: String, name: String, identity: String) -> String? {
        let children = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
        return children.filter { $0.hasPrefix(name + "-") }.map { (root as NSString).appendingPathComponent($0) }
            .last { directory in
                guard let manifest = try? SweepManifest.load(directory: directory) else { return false }
                return manifest.identity == identity && !manifest.tasks.isEmpty
            }
    }

    func resubmit(_ directory: String, script: SlurmScript) throws(SweepError) -> Outcome {
        let status = try read(directory).status
        guard !status.tasksToSubmit.isEmpty else { return .nothingToSubmit(directory: directory, status: status) }
        let job = try write(script, andSubmit: status.tasksToSubmit)
        return .resubmitted(job: job, tasks: status.tasksToSubmit, directory: directory, status: status)
    }

    /// The sweep in `directory`, with Slurm asked about its tasks: its manifest, every cell's
    /// state, the runs' pictures in the order of their folders (for the heatmap), and what
    /// could not be read or asked.
    public func read(_ directory: String) throws(SweepError) -> (
        manifest: SweepManifest, status: SweepStatus, runs: [RunSnapshot], folders: [String], problems: [String],
        heatmap: SweepResult?
    ) {
        var problem: String?
        do {
            let read = try SweepStatus.read(
                directory: directory,
                queue: { jobs in
                    let (states, trouble) = cluster.queue(jobs: jobs)
                    problem = trouble
                    return states
                }, ended: cluster.ended)
            // The heatmap of the cells done, when the folder is a grid's.
            let heatmap =
                read.manifest.grids.isEmpty ? nil : try? read.manifest.plan(folders: read.folders).result(read.runs)
            return (
                read.manifest, read.status, read.runs, read.folders, read.problems + (problem.map { [$0] } ?? []),
                heatmap
            )
        } catch { throw SweepError(error.description) }
    }

    /// `sweep --status --json`: the cells' states, the tasks to submit, and the heatmap.
    public static func statusDocument(_ directory: String, _ status: SweepStatus, heatmap: SweepResult?) -> JSONValue {
        let cells: [JSONValue] = status.cells.map { cell in
            .object([
                ("label", .string(cell.label)), ("state", .string(cell.state.rawValue)),
                ("epoch", .number(Double(cell.epoch))), ("epochs", .number(Double(cell.epochs))),
                ("tasks", .array(cell.tasks.map { .number(Double($0)) })), ("note", .string(cell.note)),
            ])
        }
        return .object([
            ("directory", .string(directory)), ("summary", .string(status.summary)),
            ("cells", .array(cells)), ("tasks_to_submit", .array(status.tasksToSubmit.map { .number(Double($0)) })),
            ("heatmap", heatmap?.document ?? .null),
        ])
    }
}

extension SlurmSubmitter.Outcome {
    /// What `--slurm` prints: the script of a dry run, the job submitted and how to watch it.
    public var text: String {
        switch self {
        case let .dryRun(script, summary, command):
            "\(script)\n# \(summary); it would be submitted with:\n# \(command)"
        case let .submitted(job, summary, directory):
            "submitted job \(job): \(summary)\n"
                + "watch it: emergent sweep --status \(directory)   or   emergent view \(directory)"
        case let .resubmitted(job, tasks, directory, status):
            "submitted job \(job): \(tasks.count) of the sweep's tasks that are not done "
                + "(array \(SlurmScript.arraySpec(tasks))), in \(directory)\n\(status.summary)"
        case let .nothingToSubmit(directory, status):
            "nothing to submit: this sweep is in \(directory), and no task is both unfinished and out of the queue\n"
                + status.summary
        }
    }
}
