/// A sweep's outcome: each cell's runs reduced to the metric's mean ± std over seeds, with
/// the cells whose runs diverged marked, and the best cell.
public struct SweepResult: Sendable {
    public struct CellResult: Sendable {
        public let indices: [Int]
        public let label: String
        public let values: ExperimentSummary.Statistic
        public let seeds: Int
        /// Steps at which a run of the cell diverged.
        public let divergedAt: [Int]
        public var diverged: Bool { !divergedAt.isEmpty }
        public var mean: Double? { values.values.isEmpty ? nil : values.mean }
    }

    public let grid: SweepGrid
    public let metric: SweepMetric
    public let cells: [CellResult]

    public init(grid: SweepGrid, metric: SweepMetric, cellResults: [CellResult]) {
        self.grid = grid
        self.metric = metric
        cells = cellResults
    }

    /// The cell with the best mean (none when every cell diverged).
    public var best: CellResult? {
        let scored = cells.filter { !$0.diverged && $0.mean?.isFinite == true }
        return metric.lowerIsBetter
            ? scored.min { $0.mean! < $1.mean! } : scored.max { $0.mean! < $1.mean! }
    }

    /// The cell with the second-best mean (nil with fewer than two scored cells).
    public var runnerUp: CellResult? {
        let scored = cells.filter { !$0.diverged && $0.mean?.isFinite == true }.sorted { $0.mean! > $1.mean! }
        let ordered = metric.lowerIsBetter ? scored.reversed() : scored
        return ordered.count > 1 ? ordered[1] : nil
    }

    /// `sweep.csv`: the axes' values, the seeds, mean, std and where a run diverged.
    public var csv: String {
        var text =
            (grid.axes.map { CSVExport.quoted($0.key) } + ["seeds", "\(metric) mean", "std", "diverged_at"])
            .joined(separator: ",") + "\n"
        for cell in cells {
            let values = zip(grid.axes, cell.indices).map { CSVExport.quoted($0.labels[$1]) }
            text +=
                (values + [
                    String(cell.seeds), cell.mean.map(CSVExport.number) ?? "",
                    cell.mean == nil ? "" : CSVExport.number(cell.values.standardDeviation),
                    cell.divergedAt.map(String.init).joined(separator: " "),
                ]).joined(separator: ",") + "\n"
        }
        return text
    }
}

extension SweepResult {
    /// `sweep --json` and the heatmap of `sweep --status --json`: the axes, each cell's
    /// values, mean and std over seeds, where its runs diverged, and the best cell.
    public var document: JSONValue {
        .object([
            ("metric", .string(metric.description)),
            ("axes", .array(grid.axes.map { .object([("key", .string($0.key)), ("values", .array($0.values))]) })),
            (
                "cells",
                .array(
                    cells.map { cell in
                        .object([
                            ("label", .string(cell.label)),
                            ("indices", .array(cell.indices.map { .number(Double($0)) })),
                            ("seeds", .number(Double(cell.seeds))), ("mean", cell.mean.map { .number($0) } ?? .null),
                            ("std", cell.mean == nil ? .null : .number(cell.values.standardDeviation)),
                            ("values", .array(cell.values.values.map { .number($0) })),
                            ("diverged_at", .array(cell.divergedAt.map { .number(Double($0)) })),
                        ])
                    })
            ),
            ("best", best.map { .string($0.label) } ?? .null),
        ])
    }
}
