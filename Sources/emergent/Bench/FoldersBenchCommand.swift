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
        try FlagRange.check("--runs", runs, 25...100_000)
        try FlagRange.check("--epochs", epochs, 1...100)
        try FlagRange.check("--windows", windows, 1...50)
    }

    func run() throws {
        let (config, data) = try userFacing { try BenchmarkExperiment.load("default") }
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
        let machine = BenchMachine(instructionSet: .detected)
        print(json ? try JSONOutput.text(report.document(machine: machine)) : report.text(machine: machine))
    }
}
