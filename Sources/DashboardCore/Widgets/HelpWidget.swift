import EmergentCore
import Foundation

/// The help overlay, generated from the key table and the command list.
extension DashboardView {
    /// The keys from the key table, then the commands; two columns when the screen is wide.
    static func help(_ state: DashboardState, _ buffer: inout CellBuffer, theme: Theme) {
        let keys = KeyTable.helpLines
        let commands =
            ["commands (Tab completes):"]
            + DashboardState.commands.map { $0.usage.padding(toLength: 28, withPad: " ", startingAt: 0) + $0.help }
        let columns = buffer.width >= 170 ? [keys, commands] : [keys + [""] + commands]
        let columnWidth = min(columns.flatMap { $0 }.map(\.count).max() ?? 0, buffer.width - 4)
        let width = min(columns.count * (columnWidth + 2) + 2, buffer.width)
        let height = min((columns.map(\.count).max() ?? 0) + 2, buffer.height)
        let area = Rect(x: (buffer.width - width) / 2, y: (buffer.height - height) / 2, width: width, height: height)
        buffer.fill(area, with: .init(" ", style: Style(background: theme["main_bg"])))
        // A short terminal scrolls the help with ↓ and ↑.
        let longest = columns.map(\.count).max() ?? 0
        let scroll = min(state.helpScroll, max(longest - (height - 2), 0))
        box(
            longest > height - 2 ? "keys · Esc closes · ↓↑ scroll" : "keys · Esc closes", area, focused: true,
            &buffer, theme: theme)
        for (column, lines) in columns.enumerated() {
            for (index, line) in lines.dropFirst(scroll).enumerated() where index + 1 < area.height - 1 {
                buffer.write(
                    line, x: area.x + 2 + column * (columnWidth + 2), y: area.y + 1 + index,
                    style: Style(foreground: theme["main_fg"]), maxWidth: columnWidth)
            }
        }
    }
}
