import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `emergent run` in a real terminal (tmux): one progress bar per run, redrawn in place.
@Suite("emergent run in a real terminal")
struct TerminalProgressTests {
    /// Runs a tmux client on a private socket and returns what it printed.
    static func tmux(_ socket: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tmux", "-L", socket] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Starts a detached session running `command`. Through the shell, not Foundation's
    /// Process: the tmux server it forks would inherit the descriptor Process waits on, and
    /// `waitUntilExit` would never return.
    static func startSession(_ socket: String, width: Int, height: Int, command: String) -> Int32 {
        system(
            "tmux -L \(socket) new-session -d -x \(width) -y \(height) -c \(EmergentProcess.workingDirectory) '\(command)' "
                + "</dev/null >/dev/null 2>&1")
    }

    @Test("the bars are redrawn in place: one line per run, then the summary table")
    func barsInPlace() throws {
        let socket = "emergent-test-\(getpid())"
        let command = [
            EmergentProcess.executable.path, "run", "default", "--epochs", "2", "--epoch-size", "2048",
            "--set", "model.widths=[32]",
        ].joined(separator: " ")
        #expect(Self.startSession(socket, width: 120, height: 40, command: command + "; echo FINISHED; sleep 600") == 0)
        defer { _ = try? Self.tmux(socket, ["kill-server"]) }
        var screen = ""
        // Polls until the program has finished; the bound only turns a hang into a failure.
        for _ in 0..<1200 where !screen.contains("FINISHED") {
            Thread.sleep(forTimeInterval: 0.1)
            screen = try Self.tmux(socket, ["capture-pane", "-p"])
        }
        let lines = screen.split(separator: "\n").map(String.init)
        #expect(lines.contains("FINISHED"), "screen:\n\(screen)")
        for label in ["kaiming", "xavier", "emergence:alpha=1.2", "fractional:s=0.8"] {
            let bars = lines.filter { $0.hasPrefix(label + " ") && $0.contains("ep ") }
            #expect(bars.count == 1, "\(label): \(bars)")
            #expect(
                bars.first?.contains("done") == true && bars.first?.contains("ep 2/2 step 32/32") == true, "\(bars)")
        }
        #expect(lines.contains { $0.hasPrefix("run ") && $0.contains("first epoch") })
    }
}
