/// What the dashboard program draws on and reads keys from. `TerminalBackend`'s ncurses
/// terminal is one; `TestScreen` is another, in memory, so whole sessions run in tests.
public protocol DashboardScreen: AnyObject {
    /// The screen's size in cells, read each frame (a resize shows in the next one).
    var size: (width: Int, height: Int) { get }
    /// How many colours it shows.
    var depth: TerminalColor.Depth { get }
    /// Set once the user interrupted (SIGINT, SIGTERM, SIGHUP): the program ends.
    var interrupted: Bool { get }
    /// The next key, or nil when none came within the screen's wait (a frame's time).
    func readKey() -> Key?
    func draw(_ buffer: CellBuffer)
    /// Gives the screen back (the terminal restored).
    func close()
}
