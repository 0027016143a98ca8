import Foundation

/// `emergent export`: CSV tables, SVG plots, a markdown report and TensorBoard event files
/// from run folders, into one output folder.
public struct ExperimentExporter: Sendable {
    public struct Formats: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let csv = Formats(rawValue: 1)
        public static let svg = Formats(rawValue: 2)
        public static let markdown = Formats(rawValue: 4)
        public static let tensorBoard = Formats(rawValue: 8)
        public static let all: Formats = [.csv, .svg, .markdown, .tensorBoard]
    }

    public let experiment: ExportedExperiment
    public var logY = false

    public init(_ experiment: ExportedExperiment) { self.experiment = experiment }

    /// Writes the chosen formats under `output`; returns the files written, relative to it.
    @discardableResult
    public func write(_ formats: Formats, to output: String) throws(RunFolderError) -> [String] {
        try AtomicFile.makeFolder(output)
        var written: [String] = []
        func save(_ text: String, _ name: String) throws(RunFolderError) {
            let path = (output as NSString).appendingPathComponent(name)
            try AtomicFile.makeFolder((path as NSString).deletingLastPathComponent)
            try AtomicFile.write(text, to: path)
            written.append(name)
        }
        if formats.contains(.csv) {
            for table in CSVExport.tables(experiment) { try save(table.text, "csv/" + table.name) }
        }
        var plots: [String] = []
        if formats.contains(.svg) || formats.contains(.markdown) {
            for (name, plot) in self.plots() {
                try save(plot.render(), "plots/\(name).svg")
                plots.append("plots/\(name).svg")
            }
        }
        if formats.contains(.markdown) { try save(MarkdownReport.text(experiment, plots: plots), "report.md") }
        if formats.contains(.tensorBoard) {
            for run in experiment.runs {
                let created = run.folder.metrics.first?.wallTime ?? Date().timeIntervalSince1970
                let name = "tensorboard/\(run.name)/" + TensorBoardEvents.fileName(created: created)
                let path = (output as NSString).appendingPathComponent(name)
                try AtomicFile.makeFolder((path as NSString).deletingLastPathComponent)
                try AtomicFile.write(TensorBoardEvents.file(run.folder.metrics, created: created), to: path)
                written.append(name)
            }
        }
        return written
    }

    /// Loss, test metric and emergence, each run in its colour; a seed group as its mean and
    /// ±std band. At most `SVGPlot.seriesLimit` series a plot: more groups make more pages
    /// (`loss`, `loss-2`, …), so every colour is its own. Accuracy-like metrics are in %.
    public func plots() -> [(String, SVGPlot)] {
        let metric = experiment.testMetric
        let percent = metric.hasSuffix("acc") || metric.hasSuffix("exact_match") || metric.hasSuffix("bleu")
        let charts: [(name: String, key: String, title: String, y: String, log: Bool, scale: Double)] = [
            ("loss", "train/loss", "Training loss (EMA 0.9 of the per-step loss)", "loss (nats)", logY, 1),
            (
                "accuracy", metric, "\(metric) at each epoch end", percent ? "\(metric) (%)" : metric, false,
                percent ? 100 : 1
            ),
            ("emergence", "emergence/log10E", "Emergence: log10 E of the probe", "log10 E", false, 1),
        ]
        let groups = experiment.groups
        let pages = stride(from: 0, to: groups.count, by: SVGPlot.seriesLimit).map {
            Array(groups[$0..<min($0 + SVGPlot.seriesLimit, groups.count)])
        }
        return charts.flatMap { chart -> [(String, SVGPlot)] in
            guard experiment.runs.contains(where: { $0.series[chart.key] != nil }) else { return [] }
            return pages.enumerated().map { page, groups in
                var series: [SVGPlot.Series] = []
                for (index, group) in groups.enumerated() {
                    let color = SVGPlot.palette[index % SVGPlot.palette.count]
                    let curves = group.map { run in
                        let points = (run.series[chart.key] ?? []).map { (x: Double($0.step), y: chart.scale * $0.value) }
                        return chart.key == "train/loss" ? Self.smoothed(points, weights: Self.batchWeights(run)) : points
                    }
                    if group.count == 1 {
                        series.append(SVGPlot.Series(label: group[0].name, color: color, points: curves[0]))
                    } else {
                        let (mean, band) = Self.meanAndBand(curves)
                        series.append(
                            SVGPlot.Series(
                                label: "\(group[0].label) (mean of \(group.count))", color: color, points: mean,
                                band: band))
                    }
                }
                let title = chart.title + (pages.count > 1 ? " (\(page + 1) of \(pages.count))" : "")
                return (
                    chart.name + (page == 0 ? "" : "-\(page + 1)"),
                    SVGPlot(title: title, xLabel: "step", yLabel: chart.y, logY: chart.log, series: series)
                )
            }
        }
    }

    /// The dashboard's smoothing (TensorBoard's debiased EMA) over a curve's values, a partial
    /// batch's step weighing its share of samples (`weights` by step; absent steps weigh 1).
    static func smoothed(
        _ points: [(x: Double, y: Double)], weights: [Int: Double] = [:], weight: Double = 0.9
    ) -> [(x: Double, y: Double)] {
        let stepWeights = points.map { weights[Int($0.x)] ?? 1 }
        return zip(points, Smoothing.debiasedEMA(points.map(\.y), weights: stepWeights, weight: weight)).map {
            ($0.0.x, $0.1)
        }
    }

    /// The steps of a run that trained on a partial batch, with the share of a full batch.
    static func batchWeights(_ run: ExportedExperiment.Run) -> [Int: Double] {
        guard let partial = run.series[RunSnapshot.batchSamplesKey],
            let batch = run.folder.config["resolved"]?["settings"]?["batch_size"]?.numberValue, batch >= 1
        else { return [:] }
        var weights: [Int: Double] = [:]
        for record in partial where record.value.isFinite { weights[record.step] = min(max(record.value / batch, 1e-6), 1) }
        return weights
    }

    /// Mean and mean ± sample std at each step every member logged.
    static func meanAndBand(
        _ curves: [[(x: Double, y: Double)]]
    ) -> ([(x: Double, y: Double)], [(x: Double, low: Double, high: Double)]) {
        var byStep: [Double: [Double]] = [:]
        for curve in curves {
            for point in curve where point.y.isFinite { byStep[point.x, default: []].append(point.y) }
        }
        var mean: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = []
        for x in byStep.keys.sorted() {
            let values = byStep[x]!
            guard values.count == curves.count else { continue }
            let statistic = ExperimentSummary.Statistic(values: values)
            let (m, std) = (statistic.mean, statistic.standardDeviation)
            mean.append((x, m))
            band.append((x, m - std, m + std))
        }
        return (mean, band)
    }
}

extension ExperimentExporter.Formats {
    /// The formats whose flags are set.
    public init(csv: Bool, svg: Bool, markdown: Bool, tensorBoard: Bool) {
        self = []
        if csv { insert(.csv) }
        if svg { insert(.svg) }
        if markdown { insert(.markdown) }
        if tensorBoard { insert(.tensorBoard) }
    }
}

extension ExperimentExporter {
    /// `emergent export`: the folder at `path` in `formats` (all when empty) into `output`
    /// (default: its `export`); returns the experiment, where the files went, and the files.
    public static func export(
        path: String, formats: Formats, logY: Bool, output: String?
    ) throws(RunFolderError) -> (experiment: ExportedExperiment, output: String, files: [String]) {
        let experiment = try ExportedExperiment(path: path)
        var exporter = ExperimentExporter(experiment)
        exporter.logY = logY
        let output = output ?? experiment.defaultOutput
        return (experiment, output, try exporter.write(formats.isEmpty ? .all : formats, to: output))
    }
}
