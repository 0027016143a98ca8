/// A screen in memory: keys and resizes are scripted, every frame is kept. Whole dashboard
/// sessions run on it in tests (as ratatui's `TestBackend` and Bubble Tea's program do),
/// without a terminal; the tmux tests check the real one.
public final class TestScreen: DashboardScreen {
    /// One scripted frame: a key pressed (or none), and the size from then on.
    public enum Input: Sendable {
        case key(Key)
        case keys(String)
        case resize(width: Int, height: Int)
        /// A frame without a key.
        case idle
    }

    public private(set) var size: (width: Int, height: Int)
    public let depth: TerminalColor.Depth
    private var script: [Input]
    public private(set) var frames: [CellBuffer] = []
    public private(set) var closed = false

    public init(width: Int, height: Int, depth: TerminalColor.Depth = .trueColor, script: [Input] = []) {
        size = (width, height)
        self.depth = depth
        self.script = script.flatMap { input -> [Input] in
            if case let .keys(text) = input { return text.map { .key(.character($0)) } }
            return [input]
        }
    }

    /// The script's end interrupts the program, as Ctrl-C would, so no session can hang.
    public var interrupted: Bool { script.isEmpty }

    public func readKey() -> Key? {
        guard !script.isEmpty else { return nil }
        switch script.removeFirst() {
        case let .key(key): return key
        case let .resize(width, height):
            size = (width, height)
            return nil
        case .idle, .keys: return nil
        }
    }

    public func draw(_ buffer: CellBuffer) { frames.append(buffer) }
    public func close() { closed = true }

    /// The last frame as text, one line per row.
    public var text: String { frames.last?.text ?? "" }
}
