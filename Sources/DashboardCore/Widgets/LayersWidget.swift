import EmergentCore
import Foundation

/// Per-layer statistics of the selected run, or of every run side by side.
extension DashboardView {
    /// A value's history in one row of block heights (ASCII: a ramp of marks), newest right.
    static func sparkline(_ values: [Double], width: Int, ascii: Bool) -> String {
        let finite = values.suffix(width).filter(\.isFinite)
        guard width > 0, let low = finite.min(), let high = finite.max() else { return "" }
        let ramp: [Character] = ascii ? Array("_.-=+*#") : Array("▁▂▃▄▅▆▇█")
        return String(
            finite.map { value in
                ramp[
                    high > low ? Int(((value - low) / (high - low) * Double(ramp.count - 1)).rounded()) : ramp.count / 2
                ]
            })
    }

    static func layers(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        if state.layersOfAllRuns { return layersOfAllRuns(state, &buffer, area: area, theme: theme) }
        let run = state.selectedRun
        box(
            "layers · \(run?.config.label ?? "no run") · v: all runs", area, focused: state.pane == .layers, &buffer,
            theme: theme)
        let inner = area.inset(1)
        // Narrow terminals leave out the shape and the weight RMS; wide ones give every value
        // a sparkline of its history, middle ones only log10 E_l.
        let compact = inner.width < 100
        typealias Column = (title: String, width: Int, key: String, text: (LayerMeasurement) -> String)
        let number: (String, Double) -> String = { format, value in
            value == -.infinity ? "−∞" : String(format: format, value)
        }
        var columns: [Column] = [
            ("scale", 8, "scale", { $0.scale.map { number("%.3f", $0) } ?? "—" }),
            ("log10 E_l", 11, "log10E", { number("%.2f", $0.log10E) }),
            ("active", 8, "active", { number("%.3f", $0.activeFraction) }),
            ("weight rms", 12, "weight_rms", { number("%.4f", $0.weightRMS) }),
            ("act std", 10, "act_std", { number("%.4f", $0.activationStd) }),
            ("grad norm", 11, "grad_norm", { number("%.4f", $0.gradientNorm) }),
            ("log10 Δ/W", 11, "log10_update_ratio", { $0.log10UpdateRatio.map { number("%.2f", $0) } ?? "—" }),
        ]
        if compact { columns.remove(at: 3) }
        let (nameWidth, shapeWidth) = compact ? (12, 0) : (16, 14)
        let fixed = nameWidth + shapeWidth + columns.map(\.width).reduce(0, +)
        let everySpark = inner.width - fixed >= columns.count * 9
        let sparkWidth = everySpark ? 8 : min(max(inner.width - fixed - 2, 0), 40)
        var header = pad("layer", nameWidth) + pad("shape", shapeWidth)
        for column in columns {
            header += pad(column.title, column.width, right: true) + (everySpark ? " " + pad("", sparkWidth) : "")
        }
        if !everySpark && sparkWidth >= 4 {
            header += "  " + pad(fitted(sparkWidth >= 19 ? "log10 E_l over time" : "E_l trend", sparkWidth), sparkWidth)
        }
        buffer.write(
            header, x: inner.x, y: inner.y, style: Style(foreground: theme["graph_text"]), maxWidth: inner.width)
        // More layers than rows: the table scrolls (↓/↑ with the pane focused) and its last row
        // says how many are hidden above and below.
        let layers = run?.lastMeasurement?.layers ?? []
        let rows = max(inner.height - 1, 0)
        let fits = layers.count <= rows
        let visible = fits ? rows : max(rows - 1, 0)
        let scroll = fits ? 0 : min(state.layerScroll, max(layers.count - visible, 0))
        if !fits, rows > 0 {
            let above = scroll, below = layers.count - scroll - visible
            let note =
                (below > 0 ? "↓ \(below) more" : "") + (above > 0 && below > 0 ? " · " : "")
                + (above > 0 ? "↑ \(above) above" : "")
                + (state.pane == .layers ? "" : " · Tab to the pane, then ↓ ↑")
            buffer.write(
                note, x: inner.x, y: inner.y + rows, style: Style(foreground: theme["inactive_fg"]), maxWidth: inner.width)
        }
        for (row, layer) in layers.dropFirst(scroll).prefix(visible).enumerated() {
            let ratio = layer.log10UpdateRatio
            // Critical: a dead or exploding layer; warning: updates stalling or too large, few active nodes.
            let critical =
                layer.activeFraction < 0.01 || !layer.activationStd.isFinite || !layer.gradientNorm.isFinite
                || layer.activationStd > 1e4 || (ratio.map { $0 > 0 } ?? false)
            let warn = (ratio.map { $0 < -5 || $0 > -1 } ?? false) || layer.activeFraction < 0.1
            func history(_ key: String) -> String {
                sparkline(
                    run?.series["layers/\(layer.name)/\(key)"]?.points.map(\.y) ?? [], width: sparkWidth,
                    ascii: state.symbols == .ascii)
            }
            var text = pad(layer.name, nameWidth) + pad(layer.shape.map(String.init).joined(separator: "×"), shapeWidth)
            for column in columns {
                text +=
                    pad(column.text(layer), column.width, right: true)
                    + (everySpark ? " " + pad(history(column.key), sparkWidth) : "")
            }
            if !everySpark && sparkWidth >= 4 { text += "  " + history("log10E") }
            buffer.write(
                text, x: inner.x, y: inner.y + 1 + row,
                style: Style(
                    foreground: critical ? theme["status_error"] : warn ? theme["status_warn"] : theme["main_fg"],
                    bold: critical && theme.isMonochrome, underline: warn && !critical && theme.isMonochrome),
                maxWidth: inner.width)
        }
    }

    /// Every run side by side: one row per layer, log10 E_l and the active fraction per run.
    static func layersOfAllRuns(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        box(
            "layers · all runs · log10 E_l / active · v: selected run", area, focused: state.pane == .layers, &buffer,
            theme: theme)
        let inner = area.inset(1)
        let columns = max((inner.width - 14) / 16, 0)
        let shown = Array(state.runs.prefix(columns))
        var x = inner.x + 14
        buffer.write("layer", x: inner.x, y: inner.y, style: Style(foreground: theme["graph_text"]), maxWidth: 14)
        for run in shown {
            // Unique headers: seeds of one entry share a label, so the seed is named.
            let shared = state.runs.filter { $0.config.label == run.config.label }.count > 1
            let name = run.config.label + (shared ? " s\(run.config.seed)" : "")
            let header = name.count > 15 ? String(name.prefix(14)) + "…" : name
            buffer.write(
                pad(header, 15, right: true), x: x, y: inner.y,
                style: Style(foreground: theme.runColor(run.id)), maxWidth: 15)
            x += 16
        }
        let names = shown.first?.lastMeasurement?.layers.map(\.name) ?? []
        for (row, name) in names.enumerated() where row + 1 < inner.height {
            let y = inner.y + 1 + row
            buffer.write(name, x: inner.x, y: y, style: Style(foreground: theme["main_fg"]), maxWidth: 13)
            for (column, run) in shown.enumerated() {
                let layer = run.lastMeasurement?.layers.first { $0.name == name }
                let text =
                    layer.map {
                        ($0.log10E == -.infinity ? "−∞" : String(format: "%.2f", $0.log10E))
                            + String(format: " / %.2f", $0.activeFraction)
                    } ?? "—"
                buffer.write(
                    pad(text, 15, right: true), x: inner.x + 14 + column * 16, y: y,
                    style: Style(foreground: theme["main_fg"]), maxWidth: 15)
            }
        }
    }
}
