import EmergentCore
import Foundation

/// The status line: the last message, or the open command line.
extension DashboardView {
    static func statusLine(_ state: DashboardState, _ buffer: inout CellBuffer, theme: Theme) {
        let y = buffer.height - 1
        if let command = state.command {
            buffer.write(
                ":" + command + "▏", x: 0, y: y, style: Style(foreground: theme["main_fg"]), maxWidth: buffer.width)
            return
        }
        if let filter = state.filterInput {
            buffer.write(
                "/" + filter + "▏  (Enter shows the runs whose name holds it, Esc leaves)", x: 0, y: y,
                style: Style(foreground: theme["main_fg"]), maxWidth: buffer.width)
            return
        }
        let color = state.statusIsError ? theme["status_error"] : theme["status_ok"]
        buffer.write(state.status, x: 0, y: y, style: Style(foreground: color), maxWidth: buffer.width)
    }
}
