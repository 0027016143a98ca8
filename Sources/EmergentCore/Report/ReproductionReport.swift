import Foundation

/// `REPORT.md` of `emergent report`: how it was made, the verdict table, then claim by
/// claim the experiments, every comparison with its numbers, the curves of each emergence
/// run beside its control, and the plots.
public struct ReproductionReport: Sendable {
    public struct Header: Sendable {
        public let command: String
        public let machine: String
        public let started: Date
        public let seconds: Double
        public let quick: Bool

        public init(command: String, machine: String, started: Date, seconds: Double, quick: Bool) {
            self.command = command
            self.machine = machine
            self.started = started
            self.seconds = seconds
            self.quick = quick
        }
    }

    /// One experiment's runs once they ended, with the files written beside the report.
    public struct ExperimentResult: Sendable {
        public let experiment: ClaimExperiment
        public let config: ExperimentConfig
        public let runs: [RunSnapshot]
        public let sweep: SweepResult?
        /// Paths relative to the report's folder: plots first, then tables.
        public let files: [String]
        public let seconds: Double

        public init(
            experiment: ClaimExperiment, config: ExperimentConfig, runs: [RunSnapshot], sweep: SweepResult?,
            files: [String], seconds: Double
        ) {
            self.experiment = experiment
            self.config = config
            self.runs = runs
            self.sweep = sweep
            self.files = files
            self.seconds = seconds
        }

        public var comparisons: [ClaimComparison] {
            experiment.comparisons + (sweep.map { ClaimSweep.alphaComparisons($0, measure: .final) } ?? [])
        }

        public var outcomes: [ClaimOutcome] { comparisons.map { $0.outcome(runs: runs) } }
    }

    public struct ClaimResult: Sendable {
        public let claim: Claim
        public let experiments: [ExperimentResult]

        public init(claim: Claim, experiments: [ExperimentResult]) {
            self.claim = claim
            self.experiments = experiments
        }
    }

    public let header: Header
    public let claims: [ClaimResult]

    public init(header: Header, claims: [ClaimResult]) {
        self.header = header
        self.claims = claims
    }

    public var markdown: String {
        var lines = [
            "# Do the initialization papers' claims hold? A reproduction", "",
            "- command: `\(header.command)`",
            "- machine: \(header.machine)",
            "- started: \(ISO8601DateFormatter().string(from: header.started)); total time "
                + Self.duration(header.seconds),
            "- mode: "
                + (header.quick
                    ? "quick (the embedded Fashion-MNIST subset and short runs: a smoke test, not evidence)"
                    : "full"),
            "",
            "Every comparison is between two seed groups of one experiment, trained side by side with the same data, "
                + "data order and probe. Δ is treatment − baseline; d is Cohen's d; p is Welch's two-sided t-test; "
                + "n counts the seeds that have a value on each side (a run that diverged has no final value; one "
                + "that never reached the target has no steps to it). A verdict needs p < "
                + "\(ClaimVerdict.level): *holds* (the claimed direction), *opposite*, or *not shown*; a control "
                + "*coincides* unless it differs beyond noise. Test metrics are in % (token accuracy for the "
                + "transformers); seconds are each run's own compute, its initialization included.",
            "",
            "## Verdicts", "",
        ]
        lines += Self.table(
            claims.flatMap { claim in
                claim.experiments.flatMap { result in
                    result.outcomes.filter(\.comparison.headline).map { (claim.claim.title, result, $0) }
                }
            })
        for claim in claims { lines += section(claim) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every outcome as a CSV row, for machines.
    public var csv: String {
        var text = "claim,experiment,treatment,baseline,measure,expectation,treatment_mean,treatment_std,"
        text += "treatment_n,baseline_mean,baseline_std,baseline_n,difference,d,p,verdict\n"
        for claim in claims {
            for result in claim.experiments {
                for outcome in result.outcomes {
                    let test = outcome.test
                    let fields = [
                        claim.claim.id, result.experiment.name, outcome.comparison.treatment,
                        outcome.comparison.baseline, outcome.comparison.measure.rawValue,
                        outcome.comparison.expectation == .better ? "better" : "same",
                    ].map(CSVExport.quoted)
                    let numbers: [String] = [
                        number(outcome.treatment.values.isEmpty ? nil : outcome.treatment.mean),
                        number(outcome.treatment.values.isEmpty ? nil : outcome.treatment.standardDeviation),
                        String(outcome.treatment.values.count),
                        number(outcome.baseline.values.isEmpty ? nil : outcome.baseline.mean),
                        number(outcome.baseline.values.isEmpty ? nil : outcome.baseline.standardDeviation),
                        String(outcome.baseline.values.count), number(test?.difference), number(test?.effectSize),
                        number(test?.p),
                    ]
                    text += (fields + numbers + [outcome.verdict.rawValue]).joined(separator: ",") + "\n"
                }
            }
        }
        return text
    }

    func number(_ value: Double?) -> String { value.map(CSVExport.number) ?? "" }

    func section(_ result: ClaimResult) -> [String] {
        var lines = [
            "", "## \(result.claim.title)", "", "*Source:* \(result.claim.source).", "",
            "*Claim:* \(result.claim.statement)", "",
        ]
        let outcomes = result.experiments.flatMap(\.outcomes)
        lines += ["*In short:* " + Self.inShort(outcomes), ""]
        for experiment in result.experiments {
            let config = experiment.config
            let seeds = Set(experiment.runs.map(\.config.seed)).count
            let settings = experiment.runs.first?.config.settings
            lines += [
                "### \(experiment.experiment.title)", "",
                "`\(experiment.experiment.preset)` on \(config.dataset): \(experiment.runs.count) runs, "
                    + "\(seeds) seeds, \(settings?.epochs ?? 0) epochs of \(experiment.runs.first?.stepsPerEpoch ?? 0) "
                    + "steps, target \(settings?.target.map { String(format: "%g %%", 100 * $0) } ?? "none"); "
                    + "\(Self.duration(experiment.seconds)).", "",
            ]
            lines += Self.groupTable(experiment.runs)
            if let sweep = experiment.sweep {
                lines += [
                    "", "Final test metric (%) per cell, mean over seeds; `*` marks the best cell:", "", "```",
                    SweepHeatmap.render(sweep, width: 100), "```",
                ]
            }
            lines += ["", "Comparisons:", ""]
            lines += Self.table(experiment.outcomes.map { (nil, experiment, $0) })
            lines += Self.controlCurves(experiment.runs)
            let plots = experiment.files.filter { $0.hasSuffix(".svg") }
            let tables = experiment.files.filter { !$0.hasSuffix(".svg") }
            if !plots.isEmpty {
                lines.append("")
                for plot in plots { lines.append("![\(plot)](\(plot))") }
            }
            if !tables.isEmpty { lines += ["", "Tables: " + tables.map { "[\($0)](\($0))" }.joined(separator: ", ")] }
            lines.append("")
        }
        return lines
    }

    /// "Against its baseline on X: 1 of 9 holds, 6 not shown, 2 opposite." for each measure.
    static func inShort(_ outcomes: [ClaimOutcome]) -> String {
        var sentences: [String] = []
        for expectation in [ClaimComparison.Expectation.better, .same] {
            for measure in ClaimMeasure.allCases {
                let chosen = outcomes.filter {
                    $0.comparison.measure == measure && $0.comparison.expectation == expectation
                }
                guard !chosen.isEmpty else { continue }
                let counts = ClaimVerdict.allCases.compactMap { verdict -> String? in
                    let count = chosen.filter { $0.verdict == verdict }.count
                    return count == 0 ? nil : "\(count) \(verdict.rawValue)"
                }
                let what = expectation == .better ? "better than the baseline" : "the same as the control"
                sentences.append(
                    "\(what) on \(measure.rawValue): \(counts.joined(separator: ", ")) (of \(chosen.count)).")
            }
        }
        return sentences.joined(separator: " ")
    }

    /// Each seed group: seeds, first-epoch and final test metric, steps and seconds to target,
    /// log10 E at step 0, divergence.
    static func groupTable(_ runs: [RunSnapshot]) -> [String] {
        var lines = [
            "| run | seeds | epoch 1 (%) | final (%) | steps to target | seconds to target | log10 E at step 0 | diverged |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        var labels: [String] = []
        for run in runs where !labels.contains(run.config.label) { labels.append(run.config.label) }
        for label in labels {
            let group = runs.filter { $0.config.label == label }
            func column(_ measure: ClaimMeasure) -> String {
                let values = group.compactMap(measure.value(of:))
                let text = statistic(values, measure)
                return values.count == group.count || values.isEmpty && measure.isPercentage
                    ? text : "\(text) (\(values.count) of \(group.count))"
            }
            let diverged = group.compactMap(\.divergedAt).map { "step \($0)" }
            lines.append(
                "| \(MarkdownReport.cell(label)) | \(group.count) | \(column(.firstEpoch)) | \(column(.final)) | "
                    + "\(column(.stepsToTarget)) | \(column(.secondsToTarget)) | \(column(.initialLog10E)) | "
                    + "\(diverged.isEmpty ? "—" : diverged.joined(separator: ", ")) |")
        }
        return lines
    }

    /// For each emergence run with a control: the test metric at each epoch end, mean over
    /// seeds, the two side by side, and the largest gap.
    static func controlCurves(_ runs: [RunSnapshot]) -> [String] {
        let controls = Set(runs.filter { $0.config.controlOf != nil }.map(\.config.label))
        guard !controls.isEmpty else { return [] }
        var lines = [
            "",
            "Each emergence run beside its equivalent-LR control, test metric (%) at each epoch end, mean over seeds:",
            "", "| run | per epoch | its control | largest gap |", "| --- | --- | --- | --- |",
        ]
        func curve(_ label: String) -> [Double] {
            let series = runs.filter { $0.config.label == label }.map { $0.series["test/acc"]?.recent.map(\.y) ?? [] }
            let length = series.map(\.count).min() ?? 0
            return (0..<length).map { index in series.map { $0[index] }.reduce(0, +) / Double(series.count) }
        }
        var labels: [String] = []
        for run in runs where controls.contains("control of \(run.config.label)") && !labels.contains(run.config.label)
        {
            labels.append(run.config.label)
        }
        for label in labels {
            let treated = curve(label), control = curve("control of \(label)")
            let gap = zip(treated, control).map { abs($0 - $1) }.max()
            func text(_ values: [Double], of label: String) -> String {
                guard values.isEmpty else {
                    return values.map { String(format: "%.2f", 100 * $0) }.joined(separator: " / ")
                }
                // A seed that diverged before the first epoch end leaves the group without a curve.
                return runs.contains { $0.config.label == label && $0.divergedAt != nil } ? "— (diverged)" : "—"
            }
            lines.append(
                "| \(MarkdownReport.cell(label)) | \(text(treated, of: label)) | "
                    + "\(text(control, of: "control of \(label)")) | "
                    + "\(gap.map { String(format: "%.2f", 100 * $0) } ?? "—") |")
        }
        return lines
    }

    /// Rows of a comparison table; the claim column only in the verdict table.
    static func table(_ rows: [(String?, ExperimentResult, ClaimOutcome)]) -> [String] {
        let withClaim = rows.contains { $0.0 != nil }
        var lines = [
            (withClaim ? "| claim | experiment " : "")
                + "| treatment | baseline | measure | treatment | baseline | Δ | d | p | n | verdict |",
            (withClaim ? "| --- | --- " : "") + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for (claim, result, outcome) in rows {
            let measure = outcome.comparison.measure
            let test = outcome.test
            let scale = measure.isPercentage ? 100.0 : 1
            let cells = [
                MarkdownReport.cell(outcome.comparison.treatment), MarkdownReport.cell(outcome.comparison.baseline),
                measure.rawValue, statistic(outcome.treatmentSide.values, measure),
                statistic(outcome.baselineSide.values, measure),
                test.map { signed(scale * $0.difference, measure) } ?? "—",
                test.map { $0.effectSize.isFinite ? Self.minus(String(format: "%.2f", $0.effectSize)) : "—" } ?? "—",
                test.map { pText($0.p) } ?? "—", count(outcome),
                "**\(outcome.verdict.rawValue)**",
            ]
            let prefix = claim.map { "| \(MarkdownReport.cell($0)) | \(MarkdownReport.cell(result.experiment.title)) " }
            lines.append((prefix ?? "") + "| " + cells.joined(separator: " | ") + " |")
        }
        return lines
    }

    /// "3/3", with the runs that diverged on either side ("0/3, 3 diverged").
    static func count(_ outcome: ClaimOutcome) -> String {
        let text = "\(outcome.treatment.values.count)/\(outcome.baseline.values.count)"
        let diverged = outcome.treatmentSide.diverged + outcome.baselineSide.diverged
        return diverged == 0 ? text : "\(text), \(diverged) diverged"
    }

    /// Mean ± std of the finite values; a non-finite value (log10 E = −∞) as itself when
    /// there is no finite one.
    static func statistic(_ all: [Double], _ measure: ClaimMeasure) -> String {
        let values = all.filter(\.isFinite)
        guard !values.isEmpty else { return all.first.map(MarkdownReport.format) ?? "—" }
        let statistic = ExperimentSummary.Statistic(values: values)
        let scale = measure.isPercentage ? 100.0 : 1
        let mean = plain(scale * statistic.mean, measure)
        return values.count > 1 ? "\(mean) ± \(plain(scale * statistic.standardDeviation, measure))" : mean
    }

    static func plain(_ value: Double, _ measure: ClaimMeasure) -> String {
        let digits =
            switch measure {
            case .stepsToTarget: 0
            case .secondsToTarget: 1
            case .firstEpoch, .final, .initialLog10E: 2
            }
        return minus(String(format: "%.\(digits)f", value))
    }

    /// A typeset minus, as Δ has.
    static func minus(_ text: String) -> String { text.hasPrefix("-") ? "−" + text.dropFirst() : text }

    static func signed(_ value: Double, _ measure: ClaimMeasure) -> String {
        (value >= 0 ? "+" : "−") + plain(abs(value), measure)
    }

    static func pText(_ p: Double) -> String {
        guard p.isFinite else { return "—" }
        return p < 0.001 ? String(format: "%.1e", p) : String(format: "%.3f", p)
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 120 ? String(format: "%.0f s", seconds) : String(format: "%.1f min", seconds / 60)
    }
}
