import EmergentCore
import Foundation

/// `bench runs` as a table and as JSON.
extension RunsBenchmark.Report {
    public func document(machine: BenchMachine) -> JSONValue {
        .object([
            ("machine", machine.json),
            ("runs", .array(runs.map { .string($0) })), ("workers", .number(Double(workers))),
            ("alone_samples_per_s", .array(median.aloneSamplesPerSecond.map { .number($0) })),
            ("together_samples_per_s", .number(median.togetherSamplesPerSecond)),
            ("ratio", .number(ratio)),
            ("round_ratios", .array(rounds.map { .number($0.ratio(workers: workers)) })),
            ("fairness_wait_share", .number(median.fairnessWaitShare)),
            ("with_run_folders_ratios", .array(rounds.compactMap { $0.foldersRatio.map { .number($0) } })),
            ("largest_slice_spread", .number(Double(largestSliceSpread))),
            ("snapshots_sampled", .number(Double(snapshotsSampled))),
            ("resident_bytes", .number(Double(residentBytes))),
            ("window_seconds", .number(seconds)),
        ])
    }

    public func text(experiment: String, machine: BenchMachine) -> String {
        var lines = [
            machine.line,
            "\(experiment): \(runs.count) runs, \(workers) workers, \(rounds.count) rounds of windows of "
                + "\(seconds) s; the median round:",
        ]
        for (label, rate) in zip(runs, median.aloneSamplesPerSecond) {
            lines.append(
                label.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "alone %9.0f samples/s", rate))
        }
        lines.append(String(format: "together                %9.0f samples/s", median.togetherSamplesPerSecond))
        lines.append(
            String(
                format: "ratio to ideal sharing  %9.3f×  (target ≥ 0.9×; rounds: %@)", ratio,
                rounds.map { String(format: "%.3f", $0.ratio(workers: workers)) }.joined(separator: ", ")))
        let folderRatios = rounds.compactMap(\.foldersRatio)
        if !folderRatios.isEmpty {
            lines.append(
                String(
                    format: "with run folders        %9.3f×  of together without (median; rounds: %@)",
                    folderRatios.sorted()[folderRatios.count / 2],
                    folderRatios.map { String(format: "%.3f", $0) }.joined(separator: ", ")))
        }
        lines.append("largest slice spread    \(largestSliceSpread) (in \(snapshotsSampled) snapshots)")
        lines.append(
            String(format: "fairness waits          %9.1f %% of the workers' time", 100 * median.fairnessWaitShare))
        lines.append(String(format: "resident memory         %9.1f MB", Double(residentBytes) / 1_048_576))
        return lines.joined(separator: "\n")
    }
}
