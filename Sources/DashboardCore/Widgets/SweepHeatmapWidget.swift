import EmergentCore
import Foundation

/// The sweep's heatmap pane, coloured from the theme's heat ramp.
extension DashboardView {
    /// The sweep's heatmap as it stands: a cell fills in once all its runs have ended.
    static func sweepLines(_ state: DashboardState, width: Int) -> [[SweepHeatmap.Segment]] {
        guard let plan = state.sweep else { return [] }
        return SweepHeatmap.lines(plan.result(state.runs), width: max(width, 1))
    }

    /// `lines`: the heatmap already planned for this area's width (nil: planned here).
    static func sweep(
        _ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme,
        lines: [[SweepHeatmap.Segment]]? = nil
    ) {
        let finished = state.sweep.map { "\($0.finishedCells(state.runs))/\($0.cells.count) cells done" }
        box("sweep" + (finished.map { " · " + $0 } ?? ""), area, focused: state.pane == .sweep, &buffer, theme: theme)
        let inner = area.inset(1)
        guard inner.width > 2, inner.height > 0 else { return }
        guard state.sweep != nil else {
            buffer.write(
                "not a sweep: emergent sweep EXPERIMENT --grid KEY=VALUES --dashboard shows its heatmap here",
                x: inner.x + 1, y: inner.y, style: Style(foreground: theme["inactive_fg"]), maxWidth: inner.width - 1)
            return
        }
        for (row, line) in (lines ?? sweepLines(state, width: inner.width - 1)).prefix(inner.height).enumerated() {
            var x = inner.x + 1
            for segment in line {
                var style = Style(foreground: theme[row == 0 ? "graph_text" : "main_fg"])
                if let level = segment.level {
                    // Monochrome shows the best cell bold; colour terminals the scale, worst to best.
                    if theme.isMonochrome {
                        style.bold = segment.text.hasSuffix("*")
                    } else {
                        style.foreground = theme.heatColor(level)
                    }
                }
                x += buffer.write(
                    segment.text, x: x, y: inner.y + row, style: style, maxWidth: inner.x + inner.width - x)
            }
        }
    }
}
