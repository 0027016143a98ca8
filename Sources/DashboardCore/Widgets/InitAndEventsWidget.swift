import EmergentCore
import Foundation

/// The selected run's init phase and its events.
extension DashboardView {
    /// The selected run's init phase (a learned scheme's iteration and objective terms while
    /// it runs; the scales and their reasons after) and its events, newest first.
    static func details(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let run = state.selectedRun
        box(
            "init & events · \(run?.config.label ?? "no run")", area, focused: state.pane == .details, &buffer,
            theme: theme)
        guard let run else { return }
        let inner = area.inset(1)
        var lines: [(String, TerminalColor)] = []
        let spec = run.config.initializer
        if run.status == .initializing || (run.status == .queued && spec.isDataDriven) {
            lines.append(
                (String(format: "%@: initializing, %.0f%%", spec.description, 100 * run.initProgress), theme["hi_fg"]))
            for (term, value) in run.initTerms.sorted(by: { $0.key < $1.key }) {
                lines.append((pad("  " + term, 24) + String(format: "%.5g", value), theme["main_fg"]))
            }
        } else if let report = run.initReport {
            lines.append(
                (
                    String(
                        format: "%@: %.2f s, %d probe forwards, %d gradient evaluations", spec.description,
                        state.frozenClock ? 0 : report.seconds, report.probeForwards, report.gradientEvaluations),
                    theme["hi_fg"]
                ))
            // A control trains standard weights with the learning rate each layer's weights
            // would have seen under its emergence init: those multipliers are what it is about.
            let multipliers = report.learningRateMultipliers
            if multipliers != nil {
                lines.append(("  layer         init    lr ×  (the control's per-layer learning rate)", theme["graph_text"]))
            }
            for layer in report.layers {
                let lr = multipliers.map { multipliers in
                    multipliers[layer.name].map { String(format: "%-8.4g", $0) } ?? pad("1", 8)
                }
                lines.append(
                    (
                        pad("  " + layer.name, 16) + String(format: "×%.3f  ", layer.scale) + (lr ?? "")
                            + layer.reason,
                        theme["main_fg"]
                    ))
            }
            for (name, scale) in (run.updaterScales ?? [:]).sorted(by: { $0.key < $1.key }) {
                lines.append((pad("  updater " + name, 24) + String(format: "×%.4f", scale), theme["main_fg"]))
            }
        } else {
            lines.append(("\(spec.description): waiting to start", theme["inactive_fg"]))
        }
        lines.append(("events, newest first", theme["graph_text"]))
        for event in run.events.reversed() {
            var problem = false
            switch event {
            case .diverged, .failed: problem = true
            default: break
            }
            lines.append(("  " + describe(event), problem ? theme["status_error"] : theme["main_fg"]))
        }
        for (index, line) in lines.prefix(inner.height).enumerated() {
            buffer.write(
                line.0, x: inner.x, y: inner.y + index, style: Style(foreground: line.1), maxWidth: inner.width)
        }
    }

    /// One event as a line of the events list.
    static func describe(_ event: RunEvent) -> String { event.summary }
}
