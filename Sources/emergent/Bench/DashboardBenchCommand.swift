import ArgumentParser
import Benchmarks
import EmergentCore
import Foundation

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
        guard (10...10000).contains(frames) else {
            throw ValidationError("--frames \(frames) is out of range; it must be in 10...10000")
        }
        guard (10...10000).contains(keys) else {
            throw ValidationError("--keys \(keys) is out of range; it must be in 10...10000")
        }
    }

    func run() throws {
        let (config, data) = try BenchExperiment.load(experiment)
        let report = DashboardBenchmark(experiment: config, data: data, frames: frames, keys: keys).measure()
        let frame = report.frameMilliseconds, latency = report.keyToScreenMilliseconds
        if json {
            print(
                try JSONOutput.text(
                    JSONValue.object([
                        ("machine", BenchMachine(instructionSet: .detected).json),
                        ("width", .number(Double(report.width))), ("height", .number(Double(report.height))),
                        ("runs", .number(Double(report.runs))),
                        ("frame_ms_median", .number(frame.quantile(0.5))),
                        ("frame_ms_p99", .number(frame.quantile(0.99))),
                        ("key_to_screen_ms_median", .number(latency.quantile(0.5))),
                        ("key_to_screen_ms_p99", .number(latency.quantile(0.99))),
                        ("frames", .number(Double(frame.count))), ("keys", .number(Double(latency.count))),
                    ])))
            return
        }
        print(BenchMachine(instructionSet: .detected).line)
        print("frame build, \(report.width)×\(report.height), \(report.runs) runs of full histories:")
        print(
            String(
                format: "  median %7.2f ms   p99 %7.2f ms   (target: median ≤ 5 ms)", frame.quantile(0.5),
                frame.quantile(0.99)))
        print("key to screen while \(config.name) trains on every core:")
        print(
            String(
                format: "  median %7.2f ms   p99 %7.2f ms   (target: p99 ≤ 100 ms; %d keys)", latency.quantile(0.5),
                latency.quantile(0.99), latency.count))
    }
}
