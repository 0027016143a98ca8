import EmergentCore

/// A sweep's heatmap as printed text (`sweep`, `sweep --status`), each valued cell coloured
/// from the theme's heat ramp with an SGR escape in the 256-colour palette.
public enum SweepHeatmapText {
    public static func render(_ result: SweepResult, width: Int, theme: Theme? = nil) -> String {
        SweepHeatmap.lines(result, width: width).map { line in
            line.map { segment in
                guard let theme, let level = segment.level,
                    let escape = TerminalColor.foregroundEscape(theme.heatColor(level).reduced(to: .palette256))
                else { return segment.text }
                return escape + segment.text + "\u{1B}[0m"
            }.joined()
        }.joined(separator: "\n")
    }
}

extension TerminalColor {
    /// The SGR escape that sets this colour as the foreground; nil for the terminal's default.
    static func foregroundEscape(_ color: TerminalColor) -> String? {
        switch color {
        case .terminalDefault: nil
        case let .ansi(index): "\u{1B}[38;5;\(index)m"
        case let .rgb(r, g, b): "\u{1B}[38;2;\(r);\(g);\(b)m"
        }
    }
}
