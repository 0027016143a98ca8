import ArgumentParser
import Benchmarks
import EmergentCore
import Foundation

struct FoldersBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folders",
        abstract: "What watching a large sweep costs: view and sweep --status over many synthetic run folders.",
        discussion: """
            Writes --runs run folders of a finished sweep (each a whole run of --epochs epochs of 50 steps: metrics, \
            layer statistics and events) into a temporary folder, then measures, each window: opening the view \
            (read every folder, plan the heatmap, draw a 200×60 frame), printing sweep --status, and showing a point \
            one run appended (one poll and one frame; the view polls every 0.5 s). Medians of --windows windows.
            """)

    @Option(help: "Run folders to write (25...100000, in rows of 25).")
    var runs = 1000

    @Option(help: "Epochs of 50 steps in each run (1...100).")
    var epochs = 3

    @Option(help: "Windows to measure (1...50); medians are reported.")
    var windows = 5

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard (25...100_000).contains(runs) else {
            throw ValidationError("--runs \(runs) is out of range; it must be in 25...100000")
        }
        guard (1...100).contains(epochs) else {
            throw ValidationError("--epochs \(epochs) is out of range; it must be in 1...100")
        }
        guard (1...50).contains(windows) else {
            throw ValidationError("--windows \(windows) is out of range; it must be in 1...50")
        }
    }

    func run() throws {
        let (config, data) = try BenchExperiment.load("default")
        let root = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-bench-folders-\(getpid())")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let benchmark = SweepFoldersBenchmark(
            experiment: config, data: data, runs: runs, epochs: epochs, windows: windows)
        let report: SweepFoldersBenchmark.Report
        do {
            report = try benchmark.measure(root: root) {
                if !json { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            }
        } catch let error as RunFolderError { throw ValidationError(error.description) }
        let median = SweepFoldersBenchmark.median
        if json {
            print(
                try JSONOutput.text(
                    JSONValue.object([
                        ("machine", BenchMachine(instructionSet: .detected).json),
                        ("runs", .number(Double(report.runs))),
                        ("records_per_run", .number(Double(report.recordsPerRun))),
                        ("bytes", .number(Double(report.bytes))),
                        ("open_seconds", .array(report.openSeconds.map { .number($0) })),
                        ("status_seconds", .array(report.statusSeconds.map { .number($0) })),
                        ("new_point_seconds", .array(report.newPointSeconds.map { .number($0) })),
                        ("poll_interval_seconds", .number(SweepFoldersBenchmark.Report.pollInterval)),
                    ])))
            return
        }
        print(BenchMachine(instructionSet: .detected).line)
        print(
            String(
                format: "%d run folders, %d metric records each, %.1f MB: medians of %d windows", report.runs,
                report.recordsPerRun, Double(report.bytes) / 1e6, report.openSeconds.count))
        print(String(format: "open the view          %7.3f s   (target ≤ 2 s)", median(report.openSeconds)))
        print(String(format: "sweep --status         %7.3f s   (target ≤ 2 s)", median(report.statusSeconds)))
        let point = median(report.newPointSeconds)
        print(
            String(
                format:
                    "show a new point       %7.3f s   poll and frame; with the 0.5 s poll interval ≤ %.3f s (target ≤ 1 s)",
                point, point + SweepFoldersBenchmark.Report.pollInterval))
    }
}
