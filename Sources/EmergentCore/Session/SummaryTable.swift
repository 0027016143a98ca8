import Foundation

/// `emergent run`'s closing table as text; `SummaryDocument` is the same as JSON.
public enum SummaryTable {
    public static func text(_ summary: ExperimentSummary, experiment: ExperimentConfig) -> String {
        let target = experiment.runs.first?.settings.target ?? TrainingTarget.defaultValue(dataset: experiment.dataset)
        var lines = [
            "\(experiment.name) on \(experiment.dataset): \(summary.metric) in %, mean ± std over seeds; "
                + "p: Welch's t-test of the final values against \(summary.groups.first?.label ?? "the first run")"
        ]
        let header = [
            "run", "seeds", "first epoch", "final", "best", String(format: "steps to %g%%", 100 * target), "time (s)",
            "p", "diverged",
        ]
        var rows: [[String]] = []
        for group in summary.groups {
            let diverged =
                group.divergedAt.isEmpty ? "—" : "step " + group.divergedAt.map(String.init).joined(separator: ", ")
            let failed = group.failures.isEmpty ? nil : "failed: " + group.failures[0]
            rows.append([
                group.label, String(group.seeds.count), percent(group.firstEpoch), percent(group.final),
                percent(group.best), steps(group.stepsToTarget, of: group.seeds.count),
                String(format: "%.1f", group.seconds.mean), pValue(group.againstFirst), failed ?? diverged,
            ])
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
        for row in [header] + rows {
            lines.append(
                row.enumerated().map { column, cell in
                    column == row.count - 1
                        ? cell
                        : column == 0
                            ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                            : String(repeating: " ", count: widths[column] - cell.count) + cell
                }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    static func percent(_ statistic: ExperimentSummary.Statistic) -> String {
        guard !statistic.values.isEmpty else { return "—" }
        if statistic.values.count == 1 { return String(format: "%.2f", 100 * statistic.mean) }
        return String(format: "%.2f ± %.2f", 100 * statistic.mean, 100 * statistic.standardDeviation)
    }

    /// Mean steps over the seeds that reached the target, with how many did.
    static func steps(_ statistic: ExperimentSummary.Statistic, of seeds: Int) -> String {
        guard !statistic.values.isEmpty else { return "not reached" }
        let mean = String(format: "%.0f", statistic.mean)
        return statistic.values.count == seeds ? mean : "\(mean) (\(statistic.values.count)/\(seeds))"
    }

    static func pValue(_ test: WelchTest?) -> String {
        guard let test, test.p.isFinite else { return "—" }
        return test.p < 1e-4 ? String(format: "%.1e", test.p) : String(format: "%.4f", test.p)
    }
}
