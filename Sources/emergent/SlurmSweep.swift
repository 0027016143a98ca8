import ArgumentParser
import EmergentCore
import Foundation

/// A sweep (or an experiment's runs) as one Slurm job array: the run folders are made here,
/// each task carries its folders on with `emergent resume`, and the state is read back from
/// the folders and from Slurm. Submitting the same sweep again submits only what is not done.
enum SlurmSweep {
    /// What goes to the cluster: every run (its id is its place), the experiment document of
    /// each sweep cell's groups, the runs of each task unit (a cell × seed, or one run) as
    /// folder names, and the manifest's cells.
    struct Submission {
        let config: ExperimentConfig
        let runs: [RunConfig]
        let documents: [Int: JSONValue]
        let units: [[String]]
        let cells: [SweepManifest.Cell]
        let grids: [String]
        let metric: String

        /// The folder name each run gets in a new experiment folder.
        static func folderNames(_ runs: [RunConfig]) -> [String] {
            runs.enumerated().map { RunFolderLayout.runFolderName(index: $0, config: $1) }
        }
    }

    static func absolute(_ path: String) -> String {
        let full =
            path.hasPrefix("/")
            ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (full as NSString).standardizingPath
    }

    /// This binary, for the tasks to run: it must be on a path the nodes share.
    static var executable: String {
        let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        return absolute(link ?? CommandLine.arguments[0])
    }

    static func identity(_ submission: Submission) -> String {
        SHA256.hex(
            of: Array(
                ([submission.config.document.text()] + submission.grids + [submission.metric]).joined(separator: "\n")
                    .utf8))
    }

    static func submit(_ submission: Submission, options: SlurmOptions) throws {
        let scriptOptions = try options.script
        let tasks: [[String]]
        do { tasks = try SlurmScript.tasks(submission.units, arrayLimit: scriptOptions.arrayLimit) } catch {
            throw ValidationError(error.description)
        }
        if !options.dryRun, SlurmClient.path(of: "sbatch") == nil { throw ValidationError(SlurmClient.missing) }
        let config = submission.config
        let root = absolute(config.runsDirectory)
        let executable = Self.executable
        do {
            try SlurmScript.checkPath(root, what: "the runs directory")
            try SlurmScript.checkPath(executable, what: "the emergent binary")
        } catch { throw ValidationError(error.description) }
        let identity = identity(submission)
        if !options.dryRun, let existing = existingFolder(root: root, name: config.name, identity: identity) {
            try resubmit(
                existing,
                script: SlurmScript(
                    name: config.name, directory: existing, executable: executable, options: scriptOptions))
            return
        }
        func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        let summary =
            "\(counted(tasks.count, "array task")) for \(counted(submission.cells.count, "cell")) "
            + "(\(counted(submission.runs.count, "run")), \(counted(scriptOptions.cpusPerTask, "core")) each)"
        if options.dryRun {
            let directory = "\(root)/\(config.name)-<yyyyMMdd-HHmmss>"
            let script = SlurmScript(
                name: config.name, directory: directory, executable: executable, options: scriptOptions)
            print(script.text)
            print("# \(summary); it would be submitted with:")
            print(
                "# sbatch --array=\(SlurmScript.arraySpec(Array(tasks.indices))) \(directory)/\(SlurmScript.folder)/\(SlurmScript.scriptFile)"
            )
            return
        }
        let data: ExperimentData
        do { data = try ExperimentData.load(config) } catch { throw ValidationError(error.description) }
        let directory: String
        do {
            let writer = try RunFolderWriter(root: root, experiment: config, data: data) { _, _ in }
            directory = writer.directory
            let names = Submission.folderNames(submission.runs)
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
            try SweepManifest(
                grids: submission.grids, metric: submission.metric, cells: submission.cells, tasks: tasks,
                identity: identity
            ).write(to: directory)
            try SlurmFolder.writeTasks(tasks, in: directory)
        } catch let error as RunFolderError {
            throw ValidationError(
                "\(error.description) (the runs directory must be writable, and shared with the nodes)")
        }
        let script = SlurmScript(
            name: config.name, directory: directory, executable: executable, options: scriptOptions)
        let job = try write(script, andSubmit: Array(tasks.indices))
        print("submitted job \(job): \(summary)")
        print("watch it: emergent sweep --status \(directory)   or   emergent view \(directory)")
    }

    /// Writes the script (with this submission's options) and submits the tasks; the job id
    /// is recorded in `slurm/jobs.txt`.
    static func write(_ script: SlurmScript, andSubmit indices: [Int]) throws -> Int {
        let path: String
        do { path = try SlurmFolder.writeScript(script) } catch { throw ValidationError(error.description) }
        let job = try SlurmClient.submit(script: path, indices: indices)
        do { try SlurmFolder.recordSubmission(job: job, indices: indices, in: script.directory) } catch {
            throw ValidationError("job \(job) was submitted, but \(error.description)")
        }
        return job
    }

    /// The newest experiment folder of the same sweep under `root`.
    static func existingFolder(root: String, name: String, identity: String) -> String? {
        let children = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
        return children.filter { $0.hasPrefix(name + "-") }.map { (root as NSString).appendingPathComponent($0) }
            .last { directory in
                guard let manifest = try? SweepManifest.load(directory: directory) else { return false }
                return manifest.identity == identity && !manifest.tasks.isEmpty
            }
    }

    static func resubmit(_ directory: String, script: SlurmScript) throws {
        let (_, status, _, _) = try read(directory)
        guard !status.tasksToSubmit.isEmpty else {
            print(
                "nothing to submit: this sweep is in \(directory), and no task is both unfinished and out of the queue")
            print(status.summary)
            return
        }
        let job = try write(script, andSubmit: status.tasksToSubmit)
        print(
            "submitted job \(job): \(status.tasksToSubmit.count) of the sweep's tasks that are not done "
                + "(array \(SlurmScript.arraySpec(status.tasksToSubmit))), in \(directory)")
        print(status.summary)
    }

    /// The sweep in `directory`, with Slurm asked about its tasks: its manifest, every cell's
    /// state, and the runs' pictures in the order of their folders (for the heatmap).
    static func read(_ directory: String) throws -> (SweepManifest, SweepStatus, [RunSnapshot], [String]) {
        var problem: String?
        let read:
            (manifest: SweepManifest, status: SweepStatus, runs: [RunSnapshot], folders: [String], problems: [String])
        do {
            read = try SweepStatus.read(
                directory: directory,
                queue: { jobs in
                    let (states, trouble) = SlurmClient.queue(jobs: jobs)
                    problem = trouble
                    return states
                }, ended: SlurmClient.ended)
        } catch { throw ValidationError(error.description) }
        for problem in read.problems + (problem.map { [$0] } ?? []) {
            FileHandle.standardError.write(Data("emergent: \(problem)\n".utf8))
        }
        return (read.manifest, read.status, read.runs, read.folders)
    }

    /// `sweep --status`: the table, the summary, and the heatmap of the cells done.
    static func printStatus(_ directory: String, json: Bool) throws {
        let (manifest, status, snapshots, names) = try read(directory)
        let result = manifest.grids.isEmpty ? nil : try? manifest.plan(folders: names).result(snapshots)
        if json {
            let cells: [JSONValue] = status.cells.map { cell in
                let tasks: [JSONValue] = cell.tasks.map { .number(Double($0)) }
                return .object([
                    ("label", .string(cell.label)), ("state", .string(cell.state.rawValue)),
                    ("epoch", .number(Double(cell.epoch))), ("epochs", .number(Double(cell.epochs))),
                    ("tasks", .array(tasks)), ("note", .string(cell.note)),
                ])
            }
            let toSubmit: [JSONValue] = status.tasksToSubmit.map { .number(Double($0)) }
            let heatmap: JSONValue = result.map { SweepCommand.json($0) } ?? .null
            print(
                try JSONOutput.text(
                    JSONValue.object([
                        ("directory", .string(directory)), ("summary", .string(status.summary)),
                        ("cells", .array(cells)), ("tasks_to_submit", .array(toSubmit)), ("heatmap", heatmap),
                    ])))
            return
        }
        print(status.text)
        if let result {
            let width = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
            print("")
            print(SweepHeatmap.render(result, width: width, color: isatty(STDOUT_FILENO) == 1))
        }
    }
}
