import EmergentCore
import Foundation

/// `bench folders` as a table and as JSON.
extension SweepFoldersBenchmark.Report {
    public func document(machine: BenchMachine) -> JSONValue {
        .object([
            ("machine", machine.json),
            ("runs", .number(Double(runs))),
            ("records_per_run", .number(Double(recordsPerRun))),
            ("bytes", .number(Double(bytes))),
            ("open_seconds", .array(openSeconds.map { .number($0) })),
            ("status_seconds", .array(statusSeconds.map { .number($0) })),
            ("new_point_seconds", .array(newPointSeconds.map { .number($0) })),
            ("poll_interval_seconds", .number(Self.pollInterval)),
        ])
    }

    public func text(machine: BenchMachine) -> String {
        let median = SweepFoldersBenchmark.median
        let point = median(newPointSeconds)
        return [
            machine.line,
            String(
                format: "%d run folders, %d metric records each, %.1f MB: medians of %d windows", runs, recordsPerRun,
                Double(bytes) / 1e6, openSeconds.count),
            String(format: "open the view          %7.3f s   (target ≤ 2 s)", median(openSeconds)),
            String(format: "sweep --status         %7.3f s   (target ≤ 2 s)", median(statusSeconds)),
            String(
                format:
                    "show a new point       %7.3f s   poll and frame; with the 0.5 s poll interval ≤ %.3f s (target ≤ 1 s)",
                point, point + Self.pollInterval),
        ].joined(separator: "\n")
    }
}
