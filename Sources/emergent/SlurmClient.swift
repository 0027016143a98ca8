import ArgumentParser
import EmergentCore
import Foundation

/// Slurm's own commands, run as processes: `sbatch` submits, `squeue` and `scontrol` say
/// what became of the tasks. Nothing else talks to the cluster.
struct SlurmClient: SlurmCluster {
    /// The tool's path on PATH, if it is there.
    static func path(of tool: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return directories.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    var canSubmit: Bool { Self.path(of: "sbatch") != nil }

    /// Runs a tool to the end; stdout and stderr come back whole.
    static func run(_ tool: String, _ arguments: [String]) throws(SweepError) -> (
        status: Int32, output: String, error: String
    ) {
        guard let executable = path(of: tool) else { throw SweepError("\(tool) is not on the PATH") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw SweepError("\(tool) did not start: \(error.localizedDescription)") }
        // Read both before waiting: a full pipe would block the tool.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }

    /// Submits the array `array`; returns the job id. sbatch's refusal is passed on.
    func submit(script: String, array: String) throws(SweepError) -> Int {
        let result = try Self.run("sbatch", ["--parsable", "--array=\(array)", script])
        let text = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, let job = Int(text.split(separator: ";").first ?? "") else {
            // One line: sbatch's lines joined ("unrecognized option …; Try "sbatch --help" …").
            let message = result.error.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: "; ")
            throw SweepError("sbatch refused the job: " + (message.isEmpty ? "exit status \(result.status)" : message))
        }
        return job
    }

    /// The tasks of `jobs` still queued or running, by task index (empty without squeue).
    func queue(jobs: [Int]) -> (states: [Int: SlurmQueue.TaskState], problem: String?) {
        guard !jobs.isEmpty else { return ([:], nil) }
        guard Self.path(of: "squeue") != nil else {
            return ([:], "squeue is not on the PATH: states are the run folders' only")
        }
        guard let result = try? Self.run("squeue", ["-h", "-r", "--me", "-o", SlurmQueue.queueFormat]),
            result.status == 0
        else {
            return ([:], "squeue failed: states are the run folders' only")
        }
        return (SlurmQueue.parseQueue(result.output, jobs: jobs), nil)
    }

    /// What the controller still remembers of an ended task (nil once it has forgotten).
    func ended(job: Int, task: Int) -> (state: String, exitCode: String?, log: String?)? {
        guard Self.path(of: "scontrol") != nil,
            let result = try? Self.run("scontrol", ["-o", "show", "job", "\(job)_\(task)"]), result.status == 0
        else { return nil }
        return result.output.split(separator: "\n").lazy.compactMap { SlurmQueue.parseJob(String($0)) }.first
    }
}
