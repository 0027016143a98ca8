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
        // The heatmap is planned once a frame: a thousand cells' result is not cheap.
        let heatmap = state.sweep == nil ? [] : sweepLines(state, width: rightColumnWidth(width) - 3)
        for (pane, area) in layout(state, width: width, height: height, sweepLines: heatmap.count) {
            if pane == .sweep {
                sweep(state, &buffer, area: area, theme: theme, lines: heatmap)
            } else {
                draw(pane, state, &buffer, area: area, theme: theme)
            }
        }
        statusLine(state, &buffer, theme: theme)
        if state.showsHelp { help(state, &buffer, theme: theme) }
        if let picked = state.picker { picker(picked, &buffer, theme: theme) }
        paintThemeBackground(&buffer, theme: theme)
        return buffer
    }

    /// Every cell a widget left on the terminal's own colours gets the theme's: a light theme
    /// on a dark terminal is one light screen, not a patchwork of the two.
    static func paintThemeBackground(_ buffer: inout CellBuffer, theme: Theme) {
        let background = theme["main_bg"], foreground = theme["main_fg"]
        guard background != .terminalDefault || foreground != .terminalDefault else { return }
        buffer.restyle { style in
            if style.background == .terminalDefault && !style.reverse { style.background = background }
            if style.foreground == .terminalDefault { style.foreground = foreground }
        }
    }

    /// Where each pane goes at this size (the panes drawn, in drawing order): what `render`
    /// draws and where a mouse click lands.
    public static func layout(
        _ state: DashboardState, width: Int, height: Int, sweepLines: Int? = nil
    ) -> [(DashboardState.Pane, Rect)] {
        guard width >= minimumWidth, height >= minimumHeight else { return [] }
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        if state.zoomed { return [(state.pane, body)] }
        var panes: [(DashboardState.Pane, Rect)] = []
        let tableHeight = min(state.rows.count + 3, height / 3)
        let layersHeight = min(
            (state.selectedRun?.lastMeasurement?.layers.count ?? 0) + 3, (height - tableHeight - 2) / 3 + 1)
        let chartsTop = 1 + tableHeight, chartsHeight = height - chartsTop - layersHeight - 1
        let curvesWidth = width - rightColumnWidth(width)
        var right = Rect(x: curvesWidth, y: chartsTop, width: width - curvesWidth, height: chartsHeight)
        panes.append((.runs, Rect(x: 0, y: 1, width: width, height: tableHeight)))
        panes.append((.curves, Rect(x: 0, y: chartsTop, width: curvesWidth, height: chartsHeight)))
        if state.sweep != nil && (height >= 40 || ![.emergence, .details].contains(state.pane)) {
            // A sweep's heatmap heads the right column on tall terminals and takes it on short
            // ones, unless emergence or details has the focus.
            let lines = sweepLines ?? Self.sweepLines(state, width: right.width - 3).count
            let heatmapHeight = height >= 40 ? min(lines + 2, right.height / 2) : right.height
            panes.append((.sweep, Rect(x: right.x, y: right.y, width: right.width, height: heatmapHeight)))
            right = Rect(x: right.x, y: right.y + heatmapHeight, width: right.width, height: right.height - heatmapHeight)
        }
        if height >= 40 {
            // Tall terminals show everything: emergence above the init phase and events.
            let upper = right.height * 3 / 5
            panes.append((.emergence, Rect(x: right.x, y: right.y, width: right.width, height: upper)))
            panes.append(
                (.details, Rect(x: right.x, y: right.y + upper, width: right.width, height: right.height - upper)))
        } else if right.height > 0 {
            panes.append((state.pane == .details ? .details : .emergence, right))
        }
        panes.append((.layers, Rect(x: 0, y: chartsTop + chartsHeight, width: width, height: layersHeight)))
        return panes
    }

    /// The right column (emergence, details, the heatmap): two fifths of the width.
    static func rightColumnWidth(_ width: Int) -> Int { width - width * 3 / 5 }

    static func draw(
        _ pane: DashboardState.Pane, _ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme
    ) {
        switch pane {
        case .runs: runsTable(state, &buffer, area: area, theme: theme)
        case .curves: curves(state, &buffer, area: area, theme: theme)
        case .emergence: emergence(state, &buffer, area: area, theme: theme)
        case .layers: layers(state, &buffer, area: area, theme: theme)
        case .details: details(state, &buffer, area: area, theme: theme)
        case .sweep: sweep(state, &buffer, area: area, theme: theme)
        }
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
            " \(fitted(title, area.width - 6)) ", x: area.x + 2, y: area.y,
            style: Style(foreground: theme["title"], bold: focused), maxWidth: area.width - 4)
    }

    /// `text` within `width` characters: whole when it fits, else cut at the last word (or
    /// `·` part) that fits and ended with `…`, never mid-word without it.
    static func fitted(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(max(width, 0))) }
        let room = String(text.prefix(width - 1))
        let cut = room.lastIndex(of: " ").map { String(room[..<$0]) } ?? room
        return cut.trimmingCharacters(in: CharacterSet(charactersIn: " ·,")) + "…"
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let clipped = String(text.prefix(width))
        let padding = String(repeating: " ", count: max(width - clipped.count, 0))
        return right ? padding + clipped : clipped + padding
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.2f", 100 * $0) } ?? "—" }

    /// Mean ± std of a group's values (just the value for one run); "—" when none has one.
    static func statistic(_ values: [Double], scale: Double = 1, digits: Int) -> String {
        // A diverged member's NaN would make the whole figure NaN: it is left out (its row says why).
        let values = values.filter(\.isFinite)
        guard !values.isEmpty else { return "—" }
        let statistic = ExperimentSummary.Statistic(values: values)
        let text = String(format: "%.\(digits)f", scale * statistic.mean)
        guard values.count > 1 else { return text }
        return text + String(format: "±%.\(digits)f", scale * statistic.standardDeviation)
    }
}
