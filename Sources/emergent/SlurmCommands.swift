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
        let scriptOptions = try options.script(fileArguments: submission.config.sbatchArguments)
        let outcome = try userFacing { try submitter.submit(submission, options: scriptOptions, dryRun: options.dryRun) }
        print(outcome.text)
    }

    /// `sweep --status`: the table, the summary, and the heatmap of the cells done.
    static func printStatus(_ directory: String, json: Bool) throws {
        let read = try userFacing { try submitter.read(directory) }
        for problem in read.problems { HeadlessTraining.note("emergent: \(problem)") }
        let document = SlurmSubmitter.statusDocument(directory, read.status, heatmap: read.heatmap)
        print(json ? try JSONOutput.text(document) : read.status.text + (read.heatmap.map { "\n\n" + HeatmapOutput.text($0) } ?? ""))
        if read.status.exitCode != 0 { throw ExitCode(read.status.exitCode) }
    }
}
