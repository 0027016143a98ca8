/// A key press as the dashboard understands it, whatever terminal it came from.
public enum Key: Sendable, Hashable {
    case character(Character)
    case up, down, left, right, tab, backTab, enter, escape, backspace
    /// The mouse: a click of the first button at a cell, and the wheel.
    case click(x: Int, y: Int)
    case wheelUp, wheelDown

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
        case .click: "click"
        case .wheelUp: "wheel ↑"
        case .wheelDown: "wheel ↓"
        }
    }
}
