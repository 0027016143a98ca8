import ArgumentParser
import EmergentCore
import Foundation

/// What `run --slurm`, `sweep --slurm` and `sweep --status` print; the work is the core's
/// `SlurmSubmitter`.
enum SlurmCommands {
    /// This binary, for the tasks to run: it must be on a path the nodes share.
    static var submitter: SlurmSubmitter {
        let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        return SlurmSubmitter(cluster: SlurmClient(), executable: link ?? CommandLine.arguments[0])
    }

    static func submit(_ submission: SweepSubmission, options: SlurmOptions) throws {
        let scriptOptions = try options.script
        let outcome = try userFacing { try submitter.submit(submission, options: scriptOptions, dryRun: options.dryRun) }
        switch outcome {
        case let .dryRun(script, summary, command):
            print(script)
            print("# \(summary); it would be submitted with:")
            print("# \(command)")
        case let .submitted(job, summary, directory):
            print("submitted job \(job): \(summary)")
            print("watch it: emergent sweep --status \(directory)   or   emergent view \(directory)")
        case let .resubmitted(job, tasks, directory, status):
            print(
                "submitted job \(job): \(tasks.count) of the sweep's tasks that are not done "
                    + "(array \(SlurmScript.arraySpec(tasks))), in \(directory)")
            print(status.summary)
        case let .nothingToSubmit(directory, status):
            print(
                "nothing to submit: this sweep is in \(directory), and no task is both unfinished and out of the queue")
            print(status.summary)
        }
    }

    /// `sweep --status`: the table, the summary, and the heatmap of the cells done.
    static func printStatus(_ directory: String, json: Bool) throws {
        let read = try userFacing { try submitter.read(directory) }
        for problem in read.problems { HeadlessTraining.note("emergent: \(problem)") }
        let result = read.manifest.grids.isEmpty ? nil : try? read.manifest.plan(folders: read.folders).result(read.runs)
        if json {
            print(
                try JSONOutput.text(
                    SlurmSubmitter.statusDocument(directory: directory, status: read.status, heatmap: result)))
            return
        }
        print(read.status.text)
        if let result {
            print("")
            print(HeatmapOutput.text(result))
        }
    }
}
