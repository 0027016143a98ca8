import ArgumentParser
import Benchmarks
import EmergentCore

struct DashboardBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Frame build time at 200×60 with six full-history runs, and key-to-screen latency while runs train.",
        discussion: """
            The frame time is the view alone over six runs of 20,000 steps each (full histories). The latency runs the \
            dashboard's loop (a 50 ms key wait, snapshots, reducer, view, the text of the frame) while the experiment \
            trains on every core, with keys arriving at random moments 20-200 ms apart; it leaves out the terminal's \
            own write. Targets: frame median ≤ 5 ms, latency p99 ≤ 100 ms.
            """)

    @Argument(help: "The experiment that trains during the latency measurement.")
    var experiment = "default"

    @Option(help: "Frames to time (10...10000).")
    var frames = 200

    @Option(help: "Key presses to time (10...10000).")
    var keys = 200

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        try FlagRange.check("--frames", frames, 10...10000)
        try FlagRange.check("--keys", keys, 10...10000)
    }

    func run() throws {
        let (config, data) = try userFacing { try BenchmarkExperiment.load(experiment) }
        let report = DashboardBenchmark(experiment: config, data: data, frames: frames, keys: keys).measure()
        let machine = BenchMachine(instructionSet: .detected)
        print(json ? try JSONOutput.text(report.document(machine: machine)) : report.text(experiment: config.name, machine: machine))
    }
}
