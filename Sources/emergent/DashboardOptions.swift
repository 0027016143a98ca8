import ArgumentParser
import DashboardCore
import EmergentCore
import Foundation
import TerminalBackend

/// The dashboard's look, shared by `dash`, `view` and `sweep --dashboard`.
struct DashboardOptions: ParsableArguments {
    @Option(help: "Theme: a name (default, light, high-contrast, ansi16) or a path to a .theme file.")
    var theme = "default"

    @Flag(help: .hidden)
    var frozenClock = false

    @Option(help: "Curve symbols: braille, block or ascii (ascii is automatic when the locale is not UTF-8).")
    var symbols: String?

    /// The look these flags ask for; refused before the terminal changes.
    func look() throws -> DashboardLook {
        try userFacing {
            try DashboardLook(
                theme: theme, symbols: symbols, frozenClock: frozenClock, environment: ProcessInfo.processInfo.environment)
        }
    }

    /// Runs the program on the terminal until it quits; the terminal is restored on every way out.
    /// `starting` runs once the terminal is open (a sweep trains only when it can be watched).
    static func run(_ program: inout DashboardProgram, unavailable: String? = nil, starting: () -> Void = {}) throws {
        let terminal: Terminal
        do {
            terminal = try Terminal(
                keyTimeout: 50, noColor: !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty)
        } catch { throw ValidationError(unavailable ?? error.description) }
        starting()
        program.run(on: terminal)
        // Ctrl-C (or a TERM, a hang-up) ends the program as a shell expects: 128 + the signal.
        if let signal = Terminal.interruptSignal { throw ExitCode(128 + signal) }
    }
}
