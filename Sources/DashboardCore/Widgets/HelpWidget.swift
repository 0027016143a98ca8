import EmergentCore
import Foundation

/// The help overlay, generated from the key table and the command list, with what every
/// column and symbol means.
extension DashboardView {
    static let glossary = [
        "what the numbers mean:",
        "loss        training loss of the last step; a finished run:",
        "            its last epoch's mean",
        "test acc %  test accuracy after the last epoch; best %: the highest",
        "±           a seed group: mean ± sample std, where all members are",
        "p           Welch's t-test of a group's test accuracy against the",
        "            selected row's",
        "samples/s   each run's real progress over the last 10 s; the header",
        "            sums them; eta: the time left at that rate (m:ss)",
        "log10 E     emergence: log10 of the number of paths from inactive",
        "            nodes (below the threshold τ); E′: the complete paths",
        "log10 E_l   the part of E that starts at layer l's inactive nodes",
        "−∞ (0)      log10 of 0: no node of the layer is inactive; the output",
        "            layer's logits are always active, so its E_l is −∞",
        "active      the fraction of the layer's nodes above τ (probe batch)",
        "scale       the factor the init put on the layer's weights (1: none)",
        "log10 Δ/W   log10 of the first update's size over the weights'",
        "weight rms, act std, grad norm: root mean square, standard",
        "            deviation, L2 norm",
        "curves      ▾ ┆ mark a parameter change or a divergence; faint lines",
        "            are raw values, or a seed group's members",
    ]

    /// The keys from the key table, then the commands; two columns when the screen is wide.
    static func help(_ state: DashboardState, _ buffer: inout CellBuffer, theme: Theme) {
        let keys = KeyTable.helpLines
        let commands =
            ["commands (Tab completes):"]
            + DashboardState.commands.map { $0.usage.padding(toLength: 28, withPad: " ", startingAt: 0) + $0.help }
        let columns =
            buffer.width >= 170 ? [keys + [""] + Self.glossary, commands] : [keys + [""] + commands + [""] + Self.glossary]
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
