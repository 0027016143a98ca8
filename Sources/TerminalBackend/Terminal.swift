import CNcursesw
import DashboardCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The only code that calls curses: it opens the terminal, copies cell buffers to it, reads
/// keys and restores the terminal on every way out. Every call comes from the thread that
/// made the terminal (Debian's ncurses is not reentrant).
public final class Terminal: DashboardScreen {
    public enum OpenError: Error, CustomStringConvertible {
        case notATerminal
        case unknownTerminal(String)

        public var description: String {
            switch self {
            case .notATerminal:
                "the dashboard needs a terminal; without one, 'emergent run EXPERIMENT' trains headless"
            case let .unknownTerminal(name):
                "this terminal (TERM=\(name)) is unknown to curses; set TERM (e.g. xterm-256color) or use 'emergent run EXPERIMENT'"
            }
        }
    }

    public let depth: TerminalColor.Depth
    private var pairs: [PairKey: Int32] = [:]
    private var isOpen = true

    private struct PairKey: Hashable {
        let foreground: Int32
        let background: Int32
    }

    /// Opens the terminal: no echo, keys one at a time, a hidden cursor, and `timeout`
    /// milliseconds at most in `readKey`. `noColor` forces monochrome (NO_COLOR).
    public init(keyTimeout: Int32, noColor: Bool) throws(OpenError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        setlocale(LC_ALL, "")
        let name = ProcessInfo.processInfo.environment["TERM"] ?? ""
        // newterm, not initscr: initscr exits the process on an unknown TERM.
        guard !name.isEmpty, newterm(name, nc_stdout(), nc_stdin()) != nil else { throw .unknownTerminal(name) }
        Terminal.installRestorers()
        cbreak()
        noecho()
        keypad(nc_stdscr(), true)
        // Clicks select and focus, the wheel scrolls; no click interval, so a press is at once.
        mousemask(nc_mouse_mask(), nil)
        mouseinterval(0)
        curs_set(0)
        set_escdelay(25)
        wtimeout(nc_stdscr(), keyTimeout)
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            let colors = nc_colors()
            depth = colors >= 256 ? .palette256 : colors >= 16 ? .ansi16 : colors >= 8 ? .ansi8 : .monochrome
        } else {
            depth = .monochrome
        }
    }

    deinit { close() }

    /// Restores the terminal; safe to call more than once.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        endwin()
    }

    public var size: (width: Int, height: Int) {
        (Int(getmaxx(nc_stdscr())), Int(getmaxy(nc_stdscr())))
    }

    /// Copies a buffer to the screen, one run of equal style at a time.
    public func draw(_ buffer: CellBuffer) {
        erase()
        for y in 0..<buffer.height {
            var x = 0
            while x < buffer.width {
                let style = buffer[x, y].style
                var text: [wchar_t] = []
                var end = x
                while end < buffer.width, buffer[end, y].style == style {
                    for scalar in buffer[end, y].character.unicodeScalars.prefix(1) {
                        text.append(wchar_t(bitPattern: scalar.value))
                    }
                    end += 1
                }
                // The last cell of the screen would scroll it; ncurses refuses to write there.
                if y == buffer.height - 1 && end == buffer.width && !text.isEmpty { text.removeLast() }
                text.append(0)
                let (pair, attributes) = attributes(for: style)
                _ = nc_put(Int32(y), Int32(x), text, Int32(text.count - 1), pair, attributes)
                x = end
            }
        }
        refresh()
    }

    private func attributes(for style: Style) -> (Int32, attr_t) {
        var attributes: attr_t = 0
        if style.bold { attributes |= nc_attr_bold() }
        if style.dim { attributes |= nc_attr_dim() }
        if style.reverse { attributes |= nc_attr_reverse() }
        if style.underline { attributes |= nc_attr_underline() }
        guard depth != .monochrome else { return (0, attributes) }
        let key = PairKey(foreground: index(style.foreground), background: index(style.background))
        if let pair = pairs[key] { return (pair, attributes) }
        let pair = alloc_pair(key.foreground, key.background)
        pairs[key] = max(pair, 0)
        return (max(pair, 0), attributes)
    }

    private func index(_ color: TerminalColor) -> Int32 {
        switch color.reduced(to: depth) {
        case .terminalDefault: -1
        case let .ansi(index): Int32(index)
        case .rgb: -1
        }
    }

    /// The next key within the timeout, or nil; a resize also returns nil (redraw at the new size).
    public func readKey() -> Key? {
        var character: wint_t = 0
        let result = get_wch(&character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            switch Int32(character) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_BTAB: return .backTab
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_MOUSE:
                var event = MEVENT()
                guard getmouse(&event) == OK else { return nil }
                if nc_mouse_is_wheel_up(event.bstate) != 0 { return .wheelUp }
                if nc_mouse_is_wheel_down(event.bstate) != 0 { return .wheelDown }
                if nc_mouse_is_click(event.bstate) != 0 { return .click(x: Int(event.x), y: Int(event.y)) }
                return nil
            default: return nil
            }
        }
        switch character {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        default: return Unicode.Scalar(UInt32(character)).map { .character(Character($0)) }
        }
    }

    // MARK: - Restoring the terminal on every exit path

    /// Set by SIGINT, SIGTERM and SIGHUP: the main loop sees it and leaves through `close`.
    public static var interrupted: Bool { interruptFlag != 0 }
    /// The signal that ended the dashboard, if one did (the exit status is then 128 + it).
    public static var interruptSignal: Int32? { interruptFlag == 0 ? nil : Int32(interruptFlag) }
    public var interrupted: Bool { Terminal.interrupted }
    nonisolated(unsafe) private static var interruptFlag: sig_atomic_t = 0

    private static func installRestorers() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { number in Terminal.interruptFlag = sig_atomic_t(number) }
        }
        // A crash (a trap, a bad access) restores the terminal, then dies of the same signal.
        for signalNumber in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(signalNumber) { number in
                endwin()
                signal(number, SIG_DFL)
                raise(number)
            }
        }
    }
}
