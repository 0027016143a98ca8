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
        /// Each dataset used, where it came from and its size.
        public let data: String

        public init(command: String, machine: String, started: Date, seconds: Double, quick: Bool, data: String = "") {
            self.data = data
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
        /// Each arm's learning rate as tuning chose it (nil: the file's rate).
        public let choice: LearningRateChoice?

        public init(
            experiment: ClaimExperiment, config: ExperimentConfig, runs: [RunSnapshot], sweep: SweepResult?,
            files: [String], seconds: Double, choice: LearningRateChoice? = nil
        ) {
            self.experiment = experiment
            self.config = config
            self.runs = runs
            self.sweep = sweep
            self.files = files
            self.seconds = seconds
            self.choice = choice
        }

        /// The same result, its time `seconds` (every invocation's, tuning included).
        func taking(_ seconds: Double) -> ExperimentResult {
            ExperimentResult(
                experiment: experiment, config: config, runs: runs, sweep: sweep, files: files, seconds: seconds,
                choice: choice)
        }

        /// The experiment's comparisons (at the chosen rates), the sweep's, then the same at
        /// the fixed rate as secondary rows.
        public var comparisons: [ClaimComparison] {
            experiment.comparisons + (sweep.map { ClaimSweep.alphaComparisons($0, measure: .final) } ?? [])
                + (choice?.fixedComparisons(experiment.comparisons) ?? [])
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

    /// One comparison as the report gives it: a headline one with its Holm-adjusted p, and the
    /// verdict on that (a secondary one's on its raw p).
    public struct Row: Sendable {
        public let claim: Claim
        public let result: ExperimentResult
        public let outcome: ClaimOutcome
        public let adjustedP: Double?
        /// The regime checks of a claimed improvement (empty for a control, or when the
        /// experiment names none).
        public let regime: [ClaimRegime.Check]
        public var regimeReached: Bool { regime.allSatisfy(\.reached) }
        public var verdict: ClaimVerdict {
            regimeReached ? outcome.verdict(adjustedP: adjustedP) : .regimeNotReached
        }
    }

    public let header: Header
    public let claims: [ClaimResult]
    /// Every comparison, claim by claim and experiment by experiment.
    public let rows: [Row]
    /// How many headline comparisons with a test Holm's correction spans.
    public let family: Int

    public init(header: Header, claims: [ClaimResult]) {
        self.header = header
        self.claims = claims
        let results = claims.flatMap(\.experiments)
        let all = claims.flatMap { claim in
            claim.experiments.flatMap { result in
                result.outcomes.map { outcome in
                    let checks =
                        outcome.comparison.expectation == .better
                        ? result.experiment.regimes.map { $0.check(outcome.comparison, of: result, among: results) } : []
                    return (claim.claim, result, outcome, checks)
                }
            }
        }
        // One family: the headline comparisons' deciding p-values (a comparison without a test,
        // or outside its claim's regime, is not in it).
        let headline = all.indices.filter { all[$0].2.comparison.headline && all[$0].3.allSatisfy(\.reached) }
        let adjusted = HolmAdjustment.adjusted(headline.map { all[$0].2.decidingP ?? .nan })
        var adjustedByIndex: [Int: Double] = [:]
        for (index, p) in zip(headline, adjusted) where !p.isNaN { adjustedByIndex[index] = p }
        rows = all.indices.map {
            Row(claim: all[$0].0, result: all[$0].1, outcome: all[$0].2, adjustedP: adjustedByIndex[$0], regime: all[$0].3)
        }
        family = adjustedByIndex.count
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
                    ? "quick (the embedded Fashion-MNIST subset, short runs and 3 seeds: a smoke test, not evidence)"
                    : "full"),
            "- data: \(header.data)",
            "- edition: 2",
            "",
            "Every comparison is between two seed groups of one experiment, trained side by side with the same data, "
                + "data order and probe. Δ is treatment − baseline with its 95 % confidence interval (Welch); d is "
                + "Cohen's d; *detectable* is the smallest |d| the seeds detect with 80 % power at the 5 % level; "
                + "n counts the seeds that have a value on each side (a run that diverged has no final value; one "
                + "that never reached the target has no steps to it), and *diverged* compares the arms' divergence "
                + "rates with Fisher's exact test. A claimed improvement is decided by Welch's two-sided t-test: "
                + "*holds* (the claimed direction), *opposite*, or *not shown*. A claimed equivalence is decided by "
                + "two one-sided tests (TOST) within a stated margin (±0.5 points of accuracy, ±0.1 in log10 E, "
                + "±10 % of the baseline's steps or seconds): *equivalent* or *not equivalent*. Fewer than two "
                + "values on a side is *undecided*. The \(family) headline comparisons below are one family: "
                + "their verdicts use Holm-adjusted p (the raw p beside it); the other comparisons, in each "
                + "claim's section, are exploratory and use the raw p. Test metrics are in % (token accuracy for "
                + "the transformers); seconds are each run's CPU time, its initialization included.",
            "",
            "## Verdicts", "",
        ]
        lines += Self.table(rows.filter(\.outcome.comparison.headline), withClaim: true)
        for claim in claims { lines += section(claim) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every outcome as a CSV row, for machines.
    public var csv: String {
        var text = "claim,experiment,treatment,baseline,measure,expectation,treatment_mean,treatment_std,"
        text += "treatment_n,baseline_mean,baseline_std,baseline_n,difference,ci_lower,ci_upper,d,detectable_d,p,"
        text += "margin,tost_p,headline,p_holm,treatment_runs,treatment_diverged,baseline_runs,baseline_diverged,"
        text += "divergence_p,regime,verdict\n"
        for row in rows {
            let outcome = row.outcome, test = outcome.test
            let fields = [
                row.claim.id, row.result.experiment.name, outcome.comparison.treatment,
                outcome.comparison.baseline, outcome.comparison.measure.rawValue,
                outcome.comparison.expectation == .better ? "better" : "same",
            ].map(CSVExport.quoted)
            let numbers: [String] = [
                number(outcome.treatment.values.isEmpty ? nil : outcome.treatment.mean),
                number(outcome.treatment.values.isEmpty ? nil : outcome.treatment.standardDeviation),
                String(outcome.treatment.values.count),
                number(outcome.baseline.values.isEmpty ? nil : outcome.baseline.mean),
                number(outcome.baseline.values.isEmpty ? nil : outcome.baseline.standardDeviation),
                String(outcome.baseline.values.count), number(test?.difference), number(outcome.interval?.lower),
                number(outcome.interval?.upper), number(test?.effectSize), number(outcome.detectableEffect),
                number(test?.p), number(outcome.baseline.values.isEmpty ? nil : outcome.margin),
                number(outcome.equivalence?.p), outcome.comparison.headline ? "1" : "0", number(row.adjustedP),
                String(outcome.treatmentSide.runs), String(outcome.treatmentSide.diverged),
                String(outcome.baselineSide.runs), String(outcome.baselineSide.diverged), number(outcome.divergenceP),
                row.regime.isEmpty ? "" : row.regimeReached ? "reached" : "not reached",
            ]
            text += (fields + numbers + [row.verdict.rawValue]).joined(separator: ",") + "\n"
        }
        return text
    }

    /// Every run of the report, a row each: its experiment, settings and every measure a
    /// comparison is judged on, so any comparison can be redone from the seeds themselves.
    public var runsCSV: String {
        var text = "claim,experiment,dataset,label,seed,init,control_of,optimizer,lr,momentum,batch_size,epochs,"
        text += "status,diverged_at,init_seconds,log10E_step0,epoch1_test,final_test,best_test,steps_to_target,"
        text += "seconds_to_target,seconds,init_std\n"
        for claim in claims {
            for result in claim.experiments {
                for run in result.runs {
                    let settings = run.config.settings
                    let fields = [
                        claim.claim.id, result.experiment.name, result.config.dataset, run.config.label,
                        String(run.config.seed), run.config.initializer.description,
                        run.config.controlOf?.description ?? "", settings.optimizer.kind.rawValue,
                    ].map(CSVExport.quoted)
                    let numbers = [
                        number(settings.optimizer.learningRate),
                        settings.optimizer.kind == .sgd ? number(settings.optimizer.momentum) : "",
                        String(settings.batchSize), String(settings.epochs), run.status.rawValue,
                        run.divergedAt.map(String.init) ?? "", number(run.initReport?.seconds),
                        number(run.initialLog10E), number(run.firstEpochTest),
                        number(ClaimMeasure.final.value(of: run)), number(run.bestTest),
                        number(ClaimMeasure.stepsToTarget.value(of: run)),
                        number(ClaimMeasure.secondsToTarget.value(of: run)), number(run.wallTime),
                        CSVExport.quoted(
                            (run.initReport?.layers ?? []).map { "\($0.name):\(CSVExport.number($0.standardDeviation))" }
                                .joined(separator: ";")),
                    ]
                    text += (fields + numbers).joined(separator: ",") + "\n"
                }
            }
        }
        return text
    }

    func number(_ value: Double?) -> String { value.map(CSVExport.number) ?? "" }

    /// Every regime check of the report, one row each, with the figure it rests on, so a reader
    /// can redo it from runs.csv.
    public var regimesCSV: String {
        var text = "claim,experiment,treatment,baseline,condition,arm,reference_experiment,reference_arm,measure,"
        text += "threshold,value,reached,statement\n"
        for row in rows {
            for check in row.regime {
                let comparison = row.outcome.comparison
                var condition = "", arm = "", referenceExperiment = "", referenceArm = "", measure = "", threshold = ""
                switch check.regime.condition {
                case let .fails(failing, on, below):
                    (condition, arm, measure, threshold) = ("fails", failing, on.rawValue, CSVExport.number(below))
                case let .worse(worse, than, of, on):
                    (condition, arm, referenceExperiment, referenceArm, measure) = ("worse", worse, of, than, on.rawValue)
                case let .weightsDiffer(fraction):
                    (condition, threshold) = ("weights_differ", CSVExport.number(fraction))
                }
                let fields = [
                    row.claim.id, row.result.experiment.name, comparison.treatment, comparison.baseline, condition, arm,
                    referenceExperiment, referenceArm, measure,
                ].map(CSVExport.quoted)
                text += (fields + [threshold, number(check.value), check.reached ? "1" : "0", CSVExport.quoted(check.regime.statement)])
                    .joined(separator: ",") + "\n"
            }
        }
        return text
    }

    /// The experiment's regime: each distinct check once, reached or not, with its figure.
    static func regimeLines(_ rows: [Row]) -> [String] {
        var seen: Set<String> = [], lines: [String] = []
        for check in rows.flatMap(\.regime) where seen.insert(check.evidence).inserted {
            lines.append(
                "- \(check.reached ? "reached" : "**not reached**"): \(check.regime.statement) — \(check.evidence).")
        }
        guard !lines.isEmpty else { return [] }
        let missed = rows.filter { !$0.regimeReached }.count
        return ["*Regime* (checked before any verdict):", ""] + lines
            + (missed == 0
                ? [] : ["", "\(missed) comparison\(missed == 1 ? "" : "s") below test\(missed == 1 ? "s" : "") the claim outside its regime and say *regime not reached*; \(missed == 1 ? "it is" : "they are") not in the corrected family."])
            + [""]
    }

    func section(_ result: ClaimResult) -> [String] {
        var lines = [
            "", "## \(result.claim.title)", "", "*Source:* \(result.claim.source).", "",
            "*Claim:* \(result.claim.statement)", "",
        ]
        let claimRows = rows.filter { $0.claim.id == result.claim.id }
        lines += ["*In short:* " + Self.inShort(claimRows), "", "*In plain words:* " + Self.plainWords(result, claimRows), ""]
        for experiment in result.experiments {
            let config = experiment.config
            let seeds = Set(experiment.runs.map(\.config.seed)).count
            let settings = experiment.runs.first?.config.settings
            lines += [
                "### \(experiment.experiment.title)", "",
                "`\(experiment.experiment.preset)` on \(config.dataset): \(experiment.runs.count) runs, "
                    + "\(seeds) seeds, \(settings?.epochs ?? 0) epochs of \(experiment.runs.first?.stepsPerEpoch ?? 0) "
                    + "steps, target \(settings?.target.map { String(format: "%g %%", 100 * $0) } ?? "none"); "
                    + Self.duration(experiment.seconds)
                    + (experiment.choice == nil ? "." : ", its learning-rate search included."), "",
            ]
            let experimentRows = claimRows.filter { $0.result.experiment.name == experiment.experiment.name }
            lines += Self.regimeLines(experimentRows)
            if let choice = experiment.choice { lines += Self.tuningTable(choice) + [""] }
            lines += Self.groupTable(experiment.runs)
            if let sweep = experiment.sweep {
                lines += [
                    "", "Final test metric (%) per cell, mean over seeds; `*` marks the best cell:", "", "```",
                    SweepHeatmap.render(sweep, width: 100), "```",
                ]
            }
            lines += ["", "Comparisons (headline ones in bold type in the verdict table, with Holm's p):", ""]
            lines += Self.table(experimentRows, withClaim: false)
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
    static func inShort(_ rows: [Row]) -> String {
        var sentences: [String] = []
        for expectation in [ClaimComparison.Expectation.better, .same] {
            for measure in ClaimMeasure.allCases {
                let chosen = rows.filter {
                    $0.outcome.comparison.measure == measure && $0.outcome.comparison.expectation == expectation
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

    /// Where the claim holds and why: experiment by experiment, whether its regime was reached,
    /// its headline verdicts with Δ, and what the arms look like at step 0 (log10 E and the
    /// first layer's σ against the baseline's); then the claim's analysis.
    static func plainWords(_ result: ClaimResult, _ rows: [Row]) -> String {
        var sentences: [String] = []
        for experiment in result.experiments {
            let headline = rows.filter {
                $0.result.experiment.name == experiment.experiment.name && $0.outcome.comparison.headline
            }
            guard !headline.isEmpty else { continue }
            let outside = headline.filter { !$0.regimeReached }.count
            let verdicts = headline.filter(\.regimeReached).map { row -> String in
                let comparison = row.outcome.comparison
                let delta = difference(row.outcome)
                return "\(comparison.treatment) against \(comparison.baseline) on \(comparison.measure.rawValue) "
                    + ": \(row.verdict.rawValue)" + (delta == "—" ? "" : " (Δ \(delta))")
            }
            var sentence = "On the \(experiment.experiment.title), "
            if verdicts.isEmpty {
                sentence += "the claim could not be tested: its regime was not reached"
            } else {
                sentence += verdicts.joined(separator: "; ")
                if outside > 0 { sentence += "; \(outside) headline comparison\(outside == 1 ? " was" : "s were") outside the regime" }
            }
            sentences.append(sentence + ".")
            if let step0 = stepZero(experiment.runs, arms: headline.flatMap { [$0.outcome.comparison.treatment, $0.outcome.comparison.baseline] }) {
                sentences.append(step0)
            }
        }
        return (sentences + [result.claim.analysis]).filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// "At step 0, log10 E: kaiming 13.4, emergence α=1.2 13.1; the first layer's σ: emergence
    /// α=1.2 ×0.58 of kaiming's." for the arms named (first of each), nil without measures.
    static func stepZero(_ runs: [RunSnapshot], arms: [String]) -> String? {
        var labels: [String] = []
        for arm in arms where !labels.contains(arm) && !arm.hasPrefix("control of") { labels.append(arm) }
        let energies = labels.compactMap { label -> String? in
            let values = runs.filter { $0.config.label == label }.compactMap(\.initialLog10E)
            guard !values.isEmpty else { return nil }
            let mean = values.reduce(0, +) / Double(values.count)
            return "\(label) \(mean.isFinite ? String(format: "%.2f", mean) : MarkdownReport.format(mean))"
        }
        guard let base = labels.last, let baseLayer = runs.first(where: { $0.config.label == base })?.initReport?.layers.first,
            baseLayer.standardDeviation > 0
        else { return energies.isEmpty ? nil : "At step 0, log10 E: \(energies.joined(separator: ", "))." }
        let ratios = labels.dropLast().compactMap { label -> String? in
            guard let layer = runs.first(where: { $0.config.label == label })?.initReport?.layers.first,
                abs(layer.standardDeviation / baseLayer.standardDeviation - 1) > 0.001
            else { return nil }
            return "\(label) ×\(String(format: "%.3f", layer.standardDeviation / baseLayer.standardDeviation))"
        }
        var text = energies.isEmpty ? "" : "At step 0, log10 E: \(energies.joined(separator: ", "))"
        if !ratios.isEmpty {
            text += (text.isEmpty ? "At step 0, " : "; ") + "the first layer's σ: \(ratios.joined(separator: ", ")) of \(base)'s"
        }
        return text.isEmpty ? nil : text + "."
    }

    /// Each arm's validation metric at every rate it tried, the choice in bold, whether worse
    /// rates bracket it, and the file's fixed rate.
    static func tuningTable(_ choice: LearningRateChoice) -> [String] {
        let search = choice.search
        let rates = Array(Set(search.tried.values.joined())).sorted()
        let header = rates.map { CSVExport.number($0) }
        var lines = [
            "Each arm at its own learning rate, chosen on \(choice.validationSize) training samples held out as a "
                + "validation set (the test set is not used): \(choice.epochs) epoch\(choice.epochs == 1 ? "" : "s"), "
                + "\(choice.seeds) seed\(choice.seeds == 1 ? "" : "s") a rate; validation metric (%) at each rate, the "
                + "choice in bold, `div` where the run diverged. Its control trains at the arm's rate. Runs at the "
                + "file's fixed rate are kept as secondary comparisons.",
            "",
            "| arm | " + header.joined(separator: " | ") + " | chosen | bracketed | fixed |",
            "| --- | " + rates.map { _ in "---" }.joined(separator: " | ") + " | --- | --- | --- |",
        ]
        for arm in search.arms {
            let chosen = search.chosen(arm)
            let cells = rates.map { rate -> String in
                guard let score = search.scores[arm]?[rate] else { return "" }
                let text = score.isFinite ? String(format: "%.2f", 100 * score) : "div"
                return rate == chosen ? "**\(text)**" : text
            }
            lines.append(
                "| \(MarkdownReport.cell(arm)) | " + cells.joined(separator: " | ") + " | "
                    + (chosen.map(CSVExport.number) ?? "—") + " | " + (search.isBracketed(arm) ? "yes" : "no") + " | "
                    + (choice.fixed[arm].map(CSVExport.number) ?? "—") + " |")
        }
        return lines
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

    /// Rows of a comparison table; the claim and experiment columns in the verdict table.
    static func table(_ rows: [Row], withClaim: Bool) -> [String] {
        var lines = [
            (withClaim ? "| claim | experiment " : "")
                + "| treatment | baseline | measure | treatment | baseline | Δ [95 % CI] | d | detectable | p | "
                + "p Holm | n | diverged | verdict |",
            (withClaim ? "| --- | --- " : "")
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for row in rows {
            let outcome = row.outcome, measure = outcome.comparison.measure
            let test = outcome.test
            let p = outcome.comparison.expectation == .better ? test?.p : outcome.equivalence?.p
            let effect: String = test.map { $0.effectSize.isFinite ? minus(String(format: "%.2f", $0.effectSize)) : "—" } ?? "—"
            let detectable: String = outcome.detectableEffect.map { String(format: "%.2f", $0) } ?? "—"
            let what: String =
                measure.rawValue + (outcome.comparison.expectation == .same ? " (same within \(measure.marginText))" : "")
            var cells: [String] = [
                MarkdownReport.cell(outcome.comparison.treatment), MarkdownReport.cell(outcome.comparison.baseline), what,
            ]
            cells.append(statistic(outcome.treatmentSide.values, measure))
            cells.append(statistic(outcome.baselineSide.values, measure))
            cells.append(difference(outcome))
            cells += [effect, detectable, p.map(pText) ?? "—", row.adjustedP.map(pText) ?? "—"]
            cells.append("\(outcome.treatment.values.count)/\(outcome.baseline.values.count)")
            cells += [diverged(outcome), "**\(row.verdict.rawValue)**"]
            let prefix =
                withClaim
                ? "| \(MarkdownReport.cell(row.claim.title)) | \(MarkdownReport.cell(row.result.experiment.title)) " : ""
            lines.append(prefix + "| " + cells.joined(separator: " | ") + " |")
        }
        return lines
    }

    /// Δ with its 95 % confidence interval, in the measure's units ("+1.20 [0.31, 2.09]").
    static func difference(_ outcome: ClaimOutcome) -> String {
        guard let test = outcome.test else { return "—" }
        let measure = outcome.comparison.measure
        let scale = measure.isPercentage ? 100.0 : 1
        let interval = outcome.interval.map { " [\(plain(scale * $0.lower, measure)), \(plain(scale * $0.upper, measure))]" }
        return signed(scale * test.difference, measure) + (interval ?? "")
    }

    /// "—" when no run diverged, else each arm's count of its runs and Fisher's p ("3/10 vs 0/10, p 0.211").
    static func diverged(_ outcome: ClaimOutcome) -> String {
        guard let p = outcome.divergenceP else { return "—" }
        let (a, b) = (outcome.treatmentSide, outcome.baselineSide)
        return "\(a.diverged)/\(a.runs) vs \(b.diverged)/\(b.runs), p \(pText(p))"
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
