import EmergentCore
import Foundation

/// `emergent run`'s closing table, as text and as JSON.
enum SummaryTable {
    static func text(_ summary: ExperimentSummary, experiment: ExperimentConfig) -> String {
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

    static func json(_ summary: ExperimentSummary, experiment: ExperimentConfig) throws -> String {
        func statistic(_ s: ExperimentSummary.Statistic) -> JSONValue {
            s.values.isEmpty
                ? .null
                : .object([
                    ("mean", .number(s.mean)), ("std", .number(s.standardDeviation)),
                    ("values", .array(s.values.map { .number($0) })),
                ])
        }
        let groups: [JSONValue] = summary.groups.map { group in
            .object([
                ("label", .string(group.label)), ("init", .string(group.initializer)),
                ("seeds", .array(group.seeds.map { .number(Double($0)) })),
                ("first_epoch", statistic(group.firstEpoch)), ("final", statistic(group.final)),
                ("best", statistic(group.best)),
                ("seconds", statistic(group.seconds)),
                ("diverged_at", .array(group.divergedAt.map { .number(Double($0)) })),
                ("statuses", .array(group.statuses.map { .string($0.rawValue) })),
                ("failures", .array(group.failures.map { .string($0) })),
                ("steps_to_target", statistic(group.stepsToTarget)),
                ("seconds_to_target", statistic(group.secondsToTarget)),
                (
                    "welch_vs_first",
                    group.againstFirst.map { test in
                        .object([
                            ("t", .number(test.t)), ("df", .number(test.degreesOfFreedom)), ("p", .number(test.p)),
                            ("difference", .number(test.difference)), ("effect_size", .number(test.effectSize)),
                        ])
                    } ?? .null
                ),
            ])
        }
        let runs: [JSONValue] = summary.runs.map { run in
            .object([
                ("id", .number(Double(run.id))), ("label", .string(run.config.label)),
                ("seed", .number(Double(run.config.seed))),
                ("status", .string(run.status.rawValue)), ("step", .number(Double(run.step))),
                ("epoch", .number(Double(run.epoch))),
                ("final", run.latest[summary.metric].map { .number($0) } ?? .null),
                ("best", run.bestTest.map { .number($0) } ?? .null), ("wall_time", .number(run.wallTime)),
                ("diverged_at", run.divergedAt.map { .number(Double($0)) } ?? .null),
            ])
        }
        return try JSONOutput.text(
            JSONValue.object([
                ("experiment", .string(experiment.name)), ("dataset", .string(experiment.dataset)),
                ("metric", .string(summary.metric)),
                ("target", .number(experiment.runs.first?.settings.target ?? .nan)),
                ("groups", .array(groups)), ("runs", .array(runs)),
            ]))
    }
}
