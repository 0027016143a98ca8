import EmergentCore
import Foundation

/// The initializer picker (`a`).
extension DashboardView {
    /// The initializer catalog (`a`), the highlighted entry in the selection colours.
    static func picker(_ highlighted: Int, _ buffer: inout CellBuffer, theme: Theme) {
        let schemes = InitializerSpec.Scheme.allCases
        let width = min(90, buffer.width), height = min(schemes.count + 2, buffer.height)
        let area = Rect(x: (buffer.width - width) / 2, y: (buffer.height - height) / 2, width: width, height: height)
        buffer.fill(area, with: .init(" ", style: Style(background: theme["main_bg"])))
        box("add a run · ↑↓ choose · Enter adds · Esc closes", area, focused: true, &buffer, theme: theme)
        let visible = max(area.height - 2, 1), first = max(0, highlighted - visible + 1)
        for (row, index) in (first..<min(first + visible, schemes.count)).enumerated() {
            let selected = index == highlighted
            let style = Style(
                foreground: selected ? theme["selected_fg"] : theme["main_fg"],
                background: selected ? theme["selected_bg"] : theme["main_bg"], reverse: selected && theme.isMonochrome)
            buffer.fill(
                Rect(x: area.x + 1, y: area.y + 1 + row, width: area.width - 2, height: 1),
                with: .init(" ", style: style))
            buffer.write(
                pad(schemes[index].rawValue, 11) + schemes[index].summary, x: area.x + 2, y: area.y + 1 + row,
                style: style,
                maxWidth: area.width - 4)
        }
    }
}
