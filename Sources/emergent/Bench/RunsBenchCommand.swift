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
        guard (1...256).contains(workers) else {
            throw ValidationError("--workers \(workers) is out of range; it must be in 1...256")
        }
        guard (1...50).contains(rounds) else {
            throw ValidationError("--rounds \(rounds) is out of range; it must be in 1...50")
        }
        guard windowSeconds.isFinite, (0.5...600).contains(windowSeconds) else {
            throw ValidationError("--window-seconds \(windowSeconds) is out of range; it must be in 0.5...600")
        }
    }

    func run() throws {
        let (config, data) = try BenchExperiment.load(experiment)
        var benchmark = RunsBenchmark(
            experiment: config, data: data, workers: workers, seconds: windowSeconds, rounds: rounds)
        benchmark.measuresRunFolders = runFolders
        let report = benchmark.measure { if !json { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } }
        if json {
            print(
                try JSONOutput.text(
                    JSONValue.object([
                        ("machine", BenchMachine(instructionSet: .detected).json),
                        ("runs", .array(report.runs.map { .string($0) })), ("workers", .number(Double(report.workers))),
                        ("alone_samples_per_s", .array(report.median.aloneSamplesPerSecond.map { .number($0) })),
                        ("together_samples_per_s", .number(report.median.togetherSamplesPerSecond)),
                        ("ratio", .number(report.ratio)),
                        ("round_ratios", .array(report.rounds.map { .number($0.ratio(workers: report.workers)) })),
                        ("fairness_wait_share", .number(report.median.fairnessWaitShare)),
                        (
                            "with_run_folders_ratios",
                            .array(report.rounds.compactMap { $0.foldersRatio.map { .number($0) } })
                        ),
                        ("largest_slice_spread", .number(Double(report.largestSliceSpread))),
                        ("snapshots_sampled", .number(Double(report.snapshotsSampled))),
                        ("resident_bytes", .number(Double(report.residentBytes))),
                        ("window_seconds", .number(report.seconds)),
                    ])))
            return
        }
        print(BenchMachine(instructionSet: .detected).line)
        print(
            "\(config.name): \(report.runs.count) runs, \(report.workers) workers, \(report.rounds.count) rounds of windows of "
                + "\(report.seconds) s; the median round:")
        for (label, rate) in zip(report.runs, report.median.aloneSamplesPerSecond) {
            print(
                label.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "alone %9.0f samples/s", rate)
            )
        }
        print(String(format: "together                %9.0f samples/s", report.median.togetherSamplesPerSecond))
        print(
            String(
                format: "ratio to ideal sharing  %9.3f×  (target ≥ 0.9×; rounds: %@)", report.ratio,
                report.rounds.map { String(format: "%.3f", $0.ratio(workers: report.workers)) }.joined(separator: ", "))
        )
        let folderRatios = report.rounds.compactMap(\.foldersRatio).sorted()
        if !folderRatios.isEmpty {
            print(
                String(
                    format: "with run folders        %9.3f×  of together without (median; rounds: %@)",
                    folderRatios[folderRatios.count / 2],
                    report.rounds.compactMap(\.foldersRatio).map { String(format: "%.3f", $0) }.joined(separator: ", "))
            )
        }
        print("largest slice spread    \(report.largestSliceSpread) (in \(report.snapshotsSampled) snapshots)")
        print(
            String(
                format: "fairness waits          %9.1f %% of the workers' time", 100 * report.median.fairnessWaitShare))
        print(String(format: "resident memory         %9.1f MB", Double(report.residentBytes) / 1_048_576))
    }
}
