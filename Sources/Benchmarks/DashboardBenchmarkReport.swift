import EmergentCore
import Foundation

/// `bench dashboard` as a table and as JSON.
extension DashboardBenchmark.Report {
    public func document(machine: BenchMachine) -> JSONValue {
        let frame = frameMilliseconds, latency = keyToScreenMilliseconds
        return .object([
            ("machine", machine.json),
            ("width", .number(Double(width))), ("height", .number(Double(height))),
            ("runs", .number(Double(runs))),
            ("frame_ms_median", .number(frame.quantile(0.5))),
            ("frame_ms_p99", .number(frame.quantile(0.99))),
            ("key_to_screen_ms_median", .number(latency.quantile(0.5))),
            ("key_to_screen_ms_p99", .number(latency.quantile(0.99))),
            ("frames", .number(Double(frame.count))), ("keys", .number(Double(latency.count))),
        ])
    }

    public func text(experiment: String, machine: BenchMachine) -> String {
        let frame = frameMilliseconds, latency = keyToScreenMilliseconds
        return [
            machine.line,
            "frame build, \(width)×\(height), \(runs) runs of full histories:",
            String(
                format: "  median %7.2f ms   p99 %7.2f ms   (target: median ≤ 5 ms)", frame.quantile(0.5),
                frame.quantile(0.99)),
            "key to screen while \(experiment) trains on every core:",
            String(
                format: "  median %7.2f ms   p99 %7.2f ms   (target: p99 ≤ 100 ms; %d keys)", latency.quantile(0.5),
                latency.quantile(0.99), latency.count),
        ].joined(separator: "\n")
    }
}
