import EmergentCore
import Foundation

/// Draws the dashboard state into a cell buffer of the terminal's size: header, runs table,
/// curves, emergence, the selected run's layers, and the status line; the help overlay on
/// top. Pure: the same state and size give the same buffer.
public enum DashboardView {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public static func render(_ state: DashboardState, width: Int, height: Int, theme: Theme) -> CellBuffer {
        var buffer = CellBuffer(
            width: width, height: height, fill: .init(" ", style: Style(background: theme["main_bg"])))
        guard width >= minimumWidth, height >= minimumHeight else {
            tooSmall(&buffer, theme: theme)
            return buffer
        }
        header(state, &buffer, theme: theme)
        let tableHeight = min(state.runs.count + 3, height / 3)
        runsTable(state, &buffer, area: Rect(x: 0, y: 1, width: width, height: tableHeight), theme: theme)
        let layersHeight = min(
            (state.selectedRun?.lastMeasurement?.layers.count ?? 0) + 3, (height - tableHeight - 2) / 3 + 1)
        let chartsTop = 1 + tableHeight, chartsHeight = height - chartsTop - layersHeight - 1
        let curvesWidth = width * 3 / 5
        curves(state, &buffer, area: Rect(x: 0, y: chartsTop, width: curvesWidth, height: chartsHeight), theme: theme)
        emergence(
            state, &buffer, area: Rect(x: curvesWidth, y: chartsTop, width: width - curvesWidth, height: chartsHeight),
            theme: theme)
        layers(
            state, &buffer, area: Rect(x: 0, y: chartsTop + chartsHeight, width: width, height: layersHeight),
            theme: theme)
        statusLine(state, &buffer, theme: theme)
        if state.showsHelp { help(&buffer, theme: theme) }
        return buffer
    }

    static func tooSmall(_ buffer: inout CellBuffer, theme: Theme) {
        let lines = [
            "terminal too small: \(buffer.width)×\(buffer.height)", "need \(minimumWidth)×\(minimumHeight)", "q quits",
        ]
        for (index, line) in lines.enumerated() {
            let y = buffer.height / 2 - 1 + index
            buffer.write(
                line, x: max((buffer.width - line.count) / 2, 0), y: y,
                style: Style(foreground: index == 0 ? theme["status_error"] : theme["main_fg"]), maxWidth: buffer.width)
        }
    }

    static func header(_ state: DashboardState, _ buffer: inout CellBuffer, theme: Theme) {
        let rate = state.runs.filter { $0.status == .training }.reduce(0) { $0 + $1.samplesPerSecond }
        let text =
            "Emergent · \(state.experiment) · \(state.dataset) · \(state.model) · " + clock(state.elapsed)
            + String(format: " · %.0f samples/s · %d runs", rate, state.runs.count)
        buffer.write(text, x: 0, y: 0, style: Style(foreground: theme["title"], bold: true), maxWidth: buffer.width)
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        return String(format: "%d:%02d", total / 60, total % 60)
    }

    static func box(_ title: String, _ area: Rect, focused: Bool, _ buffer: inout CellBuffer, theme: Theme) {
        guard area.width >= 2, area.height >= 2 else { return }
        let style = Style(foreground: focused ? theme["hi_fg"] : theme["box"])
        let right = area.x + area.width - 1, bottom = area.y + area.height - 1
        for x in area.x...right {
            buffer[x, area.y] = .init("─", style: style)
            buffer[x, bottom] = .init("─", style: style)
        }
        for y in area.y...bottom {
            buffer[area.x, y] = .init("│", style: style)
            buffer[right, y] = .init("│", style: style)
        }
        buffer[area.x, area.y] = .init("╭", style: style)
        buffer[right, area.y] = .init("╮", style: style)
        buffer[area.x, bottom] = .init("╰", style: style)
        buffer[right, bottom] = .init("╯", style: style)
        buffer.write(
            " \(title) ", x: area.x + 2, y: area.y, style: Style(foreground: theme["title"], bold: focused),
            maxWidth: area.width - 4)
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let clipped = String(text.prefix(width))
        let padding = String(repeating: " ", count: max(width - clipped.count, 0))
        return right ? padding + clipped : clipped + padding
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.2f", 100 * $0) } ?? "—" }

    static func runsTable(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        box("runs", area, focused: state.pane == .runs, &buffer, theme: theme)
        let inner = area.inset(1)
        let metric = state.runs.first?.config.settings.model.isTransformer == true ? "tok acc" : "test acc"
        // Narrow terminals drop the throughput column and give the label what is left.
        let compact = inner.width < 100
        let (statusWidth, stepWidth) = compact ? (11, 10) : (13, 12)
        let labelWidth = min(max(inner.width - 2 - statusWidth - 8 - stepWidth - 27 - (compact ? 0 : 11), 8), 32)
        let header =
            "  " + pad("run", labelWidth) + pad("status", statusWidth) + pad("epoch", 8) + pad("step", stepWidth)
            + pad("loss", 9, right: true) + pad(metric, 10, right: true) + pad("best", 8, right: true)
            + (compact ? "" : pad("samples/s", 11, right: true))
        buffer.write(
            header, x: inner.x, y: inner.y, style: Style(foreground: theme["graph_text"]), maxWidth: inner.width)
        for (row, run) in state.runs.enumerated() where row + 1 < inner.height {
            let y = inner.y + 1 + row
            let selected = row == state.selected
            var style = Style(
                foreground: selected ? theme["selected_fg"] : theme["main_fg"],
                background: selected ? theme["selected_bg"] : theme["main_bg"])
            if run.status == .diverged || run.status == .failed { style.foreground = theme["status_error"] }
            let label = run.config.label + (run.config.seed == 0 ? "" : " s\(run.config.seed)")
            let status =
                run.status == .initializing
                ? String(format: "init %3.0f%%", 100 * run.initProgress) : run.status.rawValue
            let text =
                pad(label, labelWidth) + pad(status, statusWidth) + pad("\(run.epoch)/\(run.config.settings.epochs)", 8)
                + pad("\(run.step)/\(run.totalSteps)", stepWidth)
                + pad(run.latest["train/loss"].map { String(format: "%.4f", $0) } ?? "—", 9, right: true)
                + pad(percent(run.testMetric), 10, right: true) + pad(percent(run.bestTest), 8, right: true)
                + (compact
                    ? ""
                    : pad(run.status == .training ? String(format: "%.0f", run.samplesPerSecond) : "—", 11, right: true))
            buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), with: .init(" ", style: style))
            buffer[inner.x, y] = .init("■", style: Style(foreground: theme.runColor(row), background: style.background))
            buffer.write(text, x: inner.x + 2, y: y, style: style, maxWidth: inner.width - 2)
        }
    }

    static func chart(
        _ title: String, keys: [String], state: DashboardState, logY: Bool, smooth: Bool,
        _ buffer: inout CellBuffer, area: Rect, focused: Bool, theme: Theme
    ) {
        box(title, area, focused: focused, &buffer, theme: theme)
        var series: [LineChart.Series] = []
        for (index, run) in state.runs.enumerated() {
            for key in keys {
                guard let history = run.series[key] else { continue }
                let points = history.points.map { (x: $0.x, y: $0.y) }
                if smooth && points.count > 2 {
                    series.append(.init(points: points, color: theme.runColor(index), faint: true))
                    let smoothed = Smoothing.debiasedEMA(points.map(\.y), weight: 0.9)
                    series.append(
                        .init(points: zip(points, smoothed).map { (x: $0.x, y: $1) }, color: theme.runColor(index)))
                } else {
                    series.append(.init(points: points, color: theme.runColor(index)))
                }
            }
        }
        let inner = area.inset(1)
        guard !series.isEmpty else {
            buffer.write(
                "waiting for the first steps…", x: inner.x + 1, y: inner.y,
                style: Style(foreground: theme["inactive_fg"]),
                maxWidth: inner.width - 1)
            return
        }
        LineChart(series: series, logY: logY, symbols: state.symbols).draw(into: &buffer, area: inner, theme: theme)
    }

    static func curves(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let keys = state.metric == .loss ? ["train/loss"] : ["train/acc"]
        let title =
            (state.metric == .loss ? "train loss" : "train accuracy")
            + (state.logY && state.metric == .loss ? " (log)" : "")
            + (state.smoothing ? ", smoothed" : "") + " · x: steps"
        chart(
            title, keys: keys, state: state, logY: state.logY && state.metric == .loss, smooth: state.smoothing,
            &buffer, area: area,
            focused: state.pane == .curves, theme: theme)
    }

    static func emergence(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        chart(
            String(format: "log10 E (τ %g)", state.tau), keys: ["emergence/log10E"], state: state, logY: false,
            smooth: false,
            &buffer, area: area, focused: state.pane == .emergence, theme: theme)
    }

    static func layers(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let run = state.selectedRun
        box("layers · \(run?.config.label ?? "no run")", area, focused: state.pane == .layers, &buffer, theme: theme)
        let inner = area.inset(1)
        let header =
            pad("layer", 16) + pad("shape", 14) + pad("scale", 8, right: true) + pad("log10 E_l", 11, right: true)
            + pad("active", 8, right: true) + pad("weight rms", 12, right: true) + pad("act std", 10, right: true)
            + pad("grad norm", 11, right: true) + pad("log10 Δ/W", 11, right: true)
        buffer.write(
            header, x: inner.x, y: inner.y, style: Style(foreground: theme["graph_text"]), maxWidth: inner.width)
        for (row, layer) in (run?.lastMeasurement?.layers ?? []).enumerated() where row + 1 < inner.height {
            let ratio = layer.log10UpdateRatio
            let warn = (ratio.map { $0 < -5 || $0 > -1 } ?? false) || layer.activeFraction < 0.1
            let text =
                pad(layer.name, 16) + pad(layer.shape.map(String.init).joined(separator: "×"), 14)
                + pad(layer.scale.map { String(format: "%.3f", $0) } ?? "—", 8, right: true)
                + pad(layer.log10E == -.infinity ? "−∞" : String(format: "%.2f", layer.log10E), 11, right: true)
                + pad(String(format: "%.3f", layer.activeFraction), 8, right: true)
                + pad(String(format: "%.4f", layer.weightRMS), 12, right: true)
                + pad(String(format: "%.4f", layer.activationStd), 10, right: true)
                + pad(String(format: "%.4f", layer.gradientNorm), 11, right: true)
                + pad(ratio.map { String(format: "%.2f", $0) } ?? "—", 11, right: true)
            buffer.write(
                text, x: inner.x, y: inner.y + 1 + row,
                style: Style(foreground: warn ? theme["status_warn"] : theme["main_fg"]),
                maxWidth: inner.width)
        }
    }

    static func statusLine(_ state: DashboardState, _ buffer: inout CellBuffer, theme: Theme) {
        let y = buffer.height - 1
        if let command = state.command {
            buffer.write(
                ":" + command + "▏", x: 0, y: y, style: Style(foreground: theme["main_fg"]), maxWidth: buffer.width)
            return
        }
        let color = state.statusIsError ? theme["status_error"] : theme["status_ok"]
        buffer.write(state.status, x: 0, y: y, style: Style(foreground: color), maxWidth: buffer.width)
    }

    static func help(_ buffer: inout CellBuffer, theme: Theme) {
        let lines = KeyTable.helpLines
        let width = min((lines.map(\.count).max() ?? 0) + 4, buffer.width), height = min(lines.count + 2, buffer.height)
        let area = Rect(x: (buffer.width - width) / 2, y: (buffer.height - height) / 2, width: width, height: height)
        buffer.fill(area, with: .init(" ", style: Style(background: theme["main_bg"])))
        box("keys · Esc closes", area, focused: true, &buffer, theme: theme)
        for (index, line) in lines.enumerated() where index + 1 < area.height - 1 {
            buffer.write(
                line, x: area.x + 2, y: area.y + 1 + index, style: Style(foreground: theme["main_fg"]),
                maxWidth: area.width - 4)
        }
    }
}
