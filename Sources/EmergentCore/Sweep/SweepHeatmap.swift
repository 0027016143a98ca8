import Foundation

/// A sweep as a terminal heatmap: the last axis across, the others down (one axis: a column
/// of rows), each cell its value coloured on a scale from worst to best, the best cell
/// marked `*`, diverged cells `div`, cells not run yet `·`. Colours are the renderer's (the
/// theme's heat ramp). Columns that do not fit the width
/// are left out and counted.
public enum SweepHeatmap {
    /// The steps of the colour scale a valued cell is placed on (the theme's heat ramp).
    public static let levels = 8

    /// A piece of a heatmap line: its text, and for a cell with a value its step on the
    /// scale (0 worst … `levels` − 1 best).
    public struct Segment: Sendable, Equatable {
        public let text: String
        public let level: Int?
    }

    /// The heatmap as plain text (a renderer that colours it reads `lines`).
    public static func render(_ result: SweepResult, width: Int) -> String {
        lines(result, width: width).map { $0.map(\.text).joined() }.joined(separator: "\n")
    }

    /// The heatmap's lines as segments, for a renderer to colour as it can (the dashboard's
    /// cell buffer, or escapes).
    public static func lines(_ result: SweepResult, width: Int) -> [[Segment]] {
        let axes = result.grid.axes
        let percent = ["acc", "bleu", "exact_match"].contains { result.metric.key.hasSuffix($0) }
        func text(_ cell: SweepResult.CellResult?) -> String {
            guard let cell else { return "·" }
            if cell.diverged { return "div" }
            guard let mean = cell.mean else { return "·" }
            let shown = percent ? String(format: "%.2f", 100 * mean) : String(format: "%.4g", mean)
            return shown + (cell.indices == result.best?.indices ? "*" : "")
        }
        var byIndices: [[Int]: SweepResult.CellResult] = [:]
        for cell in result.cells { byIndices[cell.indices] = cell }
        let rows: [(label: String, cells: [SweepResult.CellResult?])]
        let columns: [String]
        if axes.count == 1 {
            columns = [result.metric.description + (percent ? " (%)" : "")]
            rows = axes[0].labels.indices.map { ("\(axes[0].key)=\(axes[0].labels[$0])", [byIndices[[$0]]]) }
        } else {
            let last = axes[axes.count - 1]
            columns = last.labels.map { "\(last.key)=\($0)" }
            var rowIndices: [[Int]] = [[]]
            for axis in axes.dropLast() {
                rowIndices = rowIndices.flatMap { prefix in axis.values.indices.map { prefix + [$0] } }
            }
            rows = rowIndices.map { prefix in
                (
                    zip(axes.dropLast(), prefix).map { "\($0.key)=\($0.labels[$1])" }.joined(separator: " "),
                    last.values.indices.map { byIndices[prefix + [$0]] }
                )
            }
        }
        let means = result.cells.filter { !$0.diverged }.compactMap(\.mean).filter(\.isFinite)
        let low = means.min() ?? 0, high = means.max() ?? 1
        func level(_ cell: SweepResult.CellResult?) -> Int? {
            guard let mean = cell?.mean, mean.isFinite, cell?.diverged == false else { return nil }
            var fraction = high > low ? (mean - low) / (high - low) : 1
            if result.metric.lowerIsBetter { fraction = 1 - fraction }
            return min(Int(fraction * Double(levels)), levels - 1)
        }
        let labelWidth = min(max(rows.map(\.label.count).max() ?? 0, 4), max(width / 3, 4))
        let cellWidth = max((columns.map(\.count) + rows.flatMap { $0.cells.map { text($0).count } }).max() ?? 4, 5) + 1
        let fitting = max(1, min(columns.count, (width - labelWidth - 1) / cellWidth))
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let cut = String(text.prefix(width))
            let space = String(repeating: " ", count: max(width - cut.count, 0))
            return left ? cut + space : space + cut
        }
        var lines: [[Segment]] = []
        func plain(_ text: String) { lines.append([Segment(text: text, level: nil)]) }
        let seeds = result.cells.first?.seeds ?? 0
        plain(
            "\(result.metric)" + (percent ? " in %" : "") + ", mean over \(seeds) seed\(seeds == 1 ? "" : "s")"
                + "; * best, div diverged")
        plain(pad("", labelWidth, left: true) + " " + columns.prefix(fitting).map { pad($0, cellWidth) }.joined())
        for row in rows {
            lines.append(
                [Segment(text: pad(row.label, labelWidth, left: true) + " ", level: nil)]
                    + row.cells.prefix(fitting).map { Segment(text: pad(text($0), cellWidth), level: level($0)) })
        }
        if fitting < columns.count {
            let hidden = columns.count - fitting
            plain("… \(hidden) more column\(hidden == 1 ? "" : "s") (\(width) columns are not enough)")
        }
        func summary(_ cell: SweepResult.CellResult) -> String {
            let mean = cell.mean ?? .nan
            let shown = percent ? String(format: "%.2f %%", 100 * mean) : String(format: "%.4g", mean)
            return "\(cell.label): \(shown)"
                + (cell.values.values.count > 1
                    ? String(format: " ± %.2f", (percent ? 100 : 1) * cell.values.standardDeviation) : "")
        }
        if let best = result.best {
            plain("best: " + summary(best))
            // Is the best beyond noise? Welch's test against the runner-up, where both have seeds to test.
            if let next = result.runnerUp, let test = WelchTest(best.values.values, next.values.values), test.p.isFinite
            {
                let p = test.p < 0.001 ? String(format: "%.1e", test.p) : String(format: "%.3f", test.p)
                plain(
                    "next: " + summary(next) + "; Welch p = \(p)"
                        + (test.p < 0.05 ? ": the best is ahead beyond noise" : ": not beyond noise"))
            }
        }
        return lines
    }
}
