import EmergentCore
import Foundation

/// The help overlay, generated from the key table and the command list, with what every
/// column and symbol means.
extension DashboardView {
    /// One entry a line; the help wraps them to its column, continuing under the meaning.
    static let glossary = [
        "what the numbers mean:",
        "loss        training cross-entropy in nats, of the last step; a finished run: its last epoch's mean",
        "test acc %  test accuracy after the last epoch; best %: the highest so far",
        "±           a seed group: mean ± sample std, at the step all its members have reached",
        "p           Welch's t-test of a group's test accuracy against the selected row's",
        "samples/s   each run's real progress over the last 10 s; the header sums them; eta: the time left at that rate (m:ss)",
        "log10 E     emergence: log10 of the number of paths from inactive nodes (below the threshold τ); E′: the complete paths",
        "log10 E_l   the part of E that starts at layer l's inactive nodes",
        "−∞ (0)      log10 of 0: no node of the layer is inactive; the output layer's logits are always active, so its E_l is −∞",
        "active      the fraction of the layer's nodes above τ (probe batch)",
        "scale       the factor the init put on the layer's weights (1: none)",
        "lr ×        a control's learning-rate multiplier for the layer: 1/c² (SGD) or 1/c (Adam) of the factor c its emergence init would apply",
        "log10 Δ/W   log10 of the first update's size over the weights'",
        "rms, std    weight rms: root mean square; act std: standard deviation; grad norm: L2 norm",
        "curves      ▾ ┆ mark a parameter change or a divergence; faint lines are raw values, or a seed group's members; an epoch's small last batch counts by its samples",
        "pending, cancelled, timed out: what Slurm says of a run's task (view of a Slurm sweep)",
    ]

    /// `line` cut at spaces to `width` columns, the continuations indented to where its
    /// meaning starts (after the first run of two spaces), so no word is cut.
    static func wrapped(_ line: String, width: Int) -> [String] {
        guard line.count > width, width > 8 else { return [line] }
        let characters = Array(line)
        var indent = 0
        if let gap = line.range(of: "  ") {
            indent = line.distance(from: line.startIndex, to: gap.lowerBound)
            while indent < characters.count && characters[indent] == " " { indent += 1 }
        }
        if indent > width / 2 { indent = 4 }
        var lines: [String] = [], current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if candidate.count > width && !current.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(current)
                current = String(repeating: " ", count: indent) + word
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines
    }

    /// The help's lines on a screen `width` wide: the keys from the key table, the commands
    /// and the glossary, in two columns when the screen is wide, wrapped to the column.
    static func helpColumns(width: Int) -> (columns: [[String]], columnWidth: Int) {
        let keys = KeyTable.helpLines
        let commands =
            ["commands (Tab completes):"]
            + DashboardState.commands.map { $0.usage.padding(toLength: 28, withPad: " ", startingAt: 0) + $0.help }
        let unwrapped =
            width >= 170 ? [keys + [""] + Self.glossary, commands] : [keys + [""] + commands + [""] + Self.glossary]
        // Each column as wide as its lines, at most its share of the screen; longer lines wrap.
        let columnWidth = max(
            min(unwrapped.flatMap { $0 }.map(\.count).max() ?? 0, (width - 2) / unwrapped.count - 2, 100), 1)
        return (unwrapped.map { $0.flatMap { Self.wrapped($0, width: columnWidth) } }, columnWidth)
    }

    static func help(_ state: DashboardState, _ buffer: inout CellBuffer, theme: Theme) {
        let (columns, columnWidth) = helpColumns(width: buffer.width)
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
