/// A key press as the dashboard understands it, whatever terminal it came from.
public enum Key: Sendable, Hashable {
    case character(Character)
    case up, down, left, right, tab, backTab, enter, escape, backspace

    /// How the help overlay writes it.
    public var label: String {
        switch self {
        case .character(" "): "Space"
        case let .character(character): String(character)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        }
    }
}
