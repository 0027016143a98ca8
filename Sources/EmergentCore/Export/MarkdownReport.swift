import Foundation

/// `report.md`: the configuration, the table of first-epoch, final and best test metrics
/// (mean ± std over a group's seeds), each run's layer table at step 0 and at its end, and
/// the plots.
public enum MarkdownReport {
    public static func text(_ experiment: ExportedExperiment, plots: [String]) -> String {
        let metric = experiment.testMetric
        var lines: [String] = []
        let first = experiment.runs.first?.folder
        lines.append("# \(first?.experimentName ?? "Experiment"): \(experiment.runs.count) runs")
        lines.append("")
        if let config = first?.config {
            func string(_ key: String) -> String { if case let .string(text)? = config[key] { text } else { "—" } }
            var dataset = "—"
            if case let .string(name)? = config["dataset"]?["name"] { dataset = name }
            var checksum = ""
            if case let .string(text)? = config["dataset"]?["sha256"] { checksum = text }
            lines += [
                "## Configuration", "",
                "- dataset: \(dataset) (SHA-256 `\(checksum.prefix(16))…`)",
                "- code: \(string("code_version")), Swift \(string("swift_version")), kernels \(string("instruction_set"))",
                "- written: \(string("created"))", "",
                "| run | init | seed | group | steps/epoch |", "| --- | --- | --- | --- | --- |",
            ]
            for run in experiment.runs {
                var initName = "—"
                if case let .string(text)? = run.folder.config["resolved"]?["init"] { initName = text }
                lines.append(
                    "| \(cell(run.name)) | `\(initName)` | \(run.folder.seed) | \(run.folder.group) | \(run.folder.stepsPerEpoch) |"
                )
            }
            lines += [
                "", "<details><summary>experiment document</summary>", "", "```json",
                config["experiment"]?.text(pretty: true) ?? "", "```", "</details>", "",
            ]
        }
        let groups = experiment.groups
        let baseline = groups.first.map { group in group.compactMap { $0.series[metric]?.last?.value } } ?? []
        let baselineLabel = groups.first.map { cell($0[0].label) } ?? "the first run"
        lines += [
            "## Results: \(metric) in %", "",
            "Mean ± std over seeds; p is Welch's two-sided t-test of the final values against \(baselineLabel) "
                + "(— with fewer than two seeds), d is Cohen's d.", "",
            "| run | seeds | first epoch | final | best | steps to target | p | d | diverged |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for (index, group) in groups.enumerated() {
            let values = group.map { $0.series[metric]?.map(\.value) ?? [] }
            let welch = index == 0 ? nil : WelchTest(values.compactMap(\.last), baseline)
            let diverged = group.compactMap { run in
                run.folder.events.first { $0.kind == "diverged" }.map { "step \($0.step)" }
            }
            let firstEpoch = statistic(values.compactMap(\.first)), final = statistic(values.compactMap(\.last))
            let best = statistic(values.compactMap { $0.filter(\.isFinite).max() })
            let p = welch.map { format($0.p) } ?? "—"
            let d = welch.map { String(format: "%.2f", $0.effectSize) } ?? "—"
            let cells =
                [
                    cell(group[0].label), String(group.count), firstEpoch, final, best, stepsToTarget(group, metric), p,
                    d,
                ]
                + [diverged.isEmpty ? "—" : diverged.joined(separator: ", ")]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines += ["## Layers at step 0 and at the end", ""]
        for run in experiment.runs {
            let layerKeys = run.series.keys.filter { $0.hasPrefix("layers/") }
            let names = orderedLayerNames(run)
            guard !names.isEmpty else { continue }
            let lastStep = layerKeys.compactMap { run.series[$0]?.last?.step }.max() ?? 0
            lines += [
                "### \(run.name)", "", "| layer | step | log10 E_l | active | weight rms | act std | grad norm |",
                "| --- | --- | --- | --- | --- | --- | --- |",
            ]
            for step in Set([0, lastStep]).sorted() {
                for name in names {
                    func value(_ stat: String) -> String {
                        guard let point = run.series["layers/\(name)/\(stat)"]?.first(where: { $0.step == step }) else {
                            return "—"
                        }
                        return format(point.value)
                    }
                    lines.append(
                        "| \(name) | \(step) | \(value("log10E")) | \(value("active")) | \(value("weight_rms")) | \(value("act_std")) | \(value("grad_norm")) |"
                    )
                }
            }
            lines.append("")
        }
        if !plots.isEmpty {
            lines += ["## Plots", ""]
            for plot in plots { lines += ["![\(plot)](\(plot))", ""] }
        }
        return lines.joined(separator: "\n")
    }

    /// Mean steps to the runs' target over the seeds that reached it ("N of K" when not all did).
    static func stepsToTarget(_ group: [ExportedExperiment.Run], _ metric: String) -> String {
        guard let target = try? group[0].folder.runConfig(checkingData: false).settings.target else { return "—" }
        let steps = group.compactMap { run in run.series[metric]?.first { $0.value >= target }.map { Double($0.step) } }
        guard !steps.isEmpty else { return String(format: "not reached (%g %%)", 100 * target) }
        let mean = String(format: "%.0f", steps.reduce(0, +) / Double(steps.count))
        return mean + (steps.count == group.count ? "" : " (\(steps.count) of \(group.count))")
            + String(format: " (%g %%)", 100 * target)
    }

    /// Layer names in the order the run logged them.
    static func orderedLayerNames(_ run: ExportedExperiment.Run) -> [String] {
        var names: [String] = []
        for record in run.folder.metrics where record.key.hasPrefix("layers/") && record.step == 0 {
            let name = String(record.key.split(separator: "/")[1])
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// Mean ± std in %, just the value for one run.
    static func statistic(_ values: [Double]) -> String {
        guard !values.isEmpty else { return "—" }
        let statistic = ExperimentSummary.Statistic(values: values)
        guard values.count > 1 else { return String(format: "%.2f", 100 * statistic.mean) }
        return String(format: "%.2f ± %.2f", 100 * statistic.mean, 100 * statistic.standardDeviation)
    }

    static func format(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4g", value) : (value.isNaN ? "nan" : value > 0 ? "∞" : "−∞")
    }

    static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
