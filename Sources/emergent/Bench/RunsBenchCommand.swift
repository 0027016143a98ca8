import ArgumentParser
import Benchmarks
import EmergentCore
import Foundation

struct RunsBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract:
            "Samples/s of an experiment's runs side by side against each alone on one core, and the fairness spread.",
        discussion: """
            Each round: every run trains alone on one worker for a window, then all train together on --workers \
            workers for a window. A round's ratio divides the together rate by workers/runs × the sum of the lone \
            rates (1.0: sharing costs nothing); the median round is reported. The spread is the largest difference \
            in slices between any two runs in snapshots taken every 10 ms; memory is the process's resident size.
            """)

    @Argument(help: "The experiment (default: the default preset's four MLP runs).")
    var experiment = "default"

    @Option(help: "Workers for the side-by-side window (1...256).")
    var workers = 2

    @Option(help: "Seconds per measurement window (0.5...600).")
    var windowSeconds = 3.0

    @Option(help: "Rounds of lone and shared windows (1...50); the median round's ratio is reported.")
    var rounds = 3

    @Flag(help: "Also measure the shared window with every run writing its run folder (the logging overhead).")
    var runFolders = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        try FlagRange.check("--workers", workers, 1...256)
        try FlagRange.check("--rounds", rounds, 1...50)
        try FlagRange.check("--window-seconds", windowSeconds, 0.5...600)
    }

    func run() throws {
        let (config, data) = try userFacing { try BenchmarkExperiment.load(experiment) }
        var benchmark = RunsBenchmark(
            experiment: config, data: data, workers: workers, seconds: windowSeconds, rounds: rounds)
        benchmark.measuresRunFolders = runFolders
        let report = benchmark.measure { if !json { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } }
        let machine = BenchMachine(instructionSet: .detected)
        print(json ? try JSONOutput.text(report.document(machine: machine)) : report.text(experiment: config.name, machine: machine))
    }
}
