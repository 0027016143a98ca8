/// The schema of `summary.json` (and of `run --json`): the experiment, its metric and target,
/// one entry per seed group with mean, std and values, and one entry per run.
extension ExperimentSummary {
    public func document(experiment: ExperimentConfig) -> JSONValue {
        func statistic(_ s: Statistic) -> JSONValue {
            s.values.isEmpty
                ? .null
                : .object([
                    ("mean", .number(s.mean)), ("std", .number(s.standardDeviation)),
                    ("values", .array(s.values.map { .number($0) })),
                ])
        }
        let groups: [JSONValue] = groups.map { group in
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
        let runs: [JSONValue] = runs.map { run in
            .object([
                ("id", .number(Double(run.id))), ("label", .string(run.config.label)),
                ("seed", .number(Double(run.config.seed))),
                ("status", .string(run.status.rawValue)), ("step", .number(Double(run.step))),
                ("epoch", .number(Double(run.epoch))),
                ("final", run.latest[metric].map { .number($0) } ?? .null),
                ("best", run.bestTest.map { .number($0) } ?? .null), ("wall_time", .number(run.wallTime)),
                ("diverged_at", run.divergedAt.map { .number(Double($0)) } ?? .null),
            ])
        }
        return .object([
            ("experiment", .string(experiment.name)), ("dataset", .string(experiment.dataset)),
            ("metric", .string(metric)),
            ("target", .number(experiment.runs.first?.settings.target ?? .nan)),
            ("groups", .array(groups)), ("runs", .array(runs)),
        ])
    }

    /// The document as `summary.json` holds it.
    public func jsonText(experiment: ExperimentConfig) throws -> String {
        try JSONOutput.text(document(experiment: experiment))
    }
}
