import Foundation
import Testing

/// A good neighbour: `nice` and `chrt` on emergent hold for its training threads too (Dispatch
/// would raise them to nice −2 where it may).
@Suite(
    "Worker threads keep the process's priority",
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chrt"), "needs chrt (util-linux)"))
struct ProcessPriorityTests {
    /// Each thread of `pid`: its name, nice value and scheduling policy, from /proc.
    static func threads(of pid: Int32) -> [(name: String, nice: Int, policy: Int)] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { task in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // Fields after the name (which may hold spaces): state is field 3, nice 19, policy 41.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 38, let nice = Int(fields[16]), let policy = Int(fields[38]) else { return nil }
            let name = String(stat[stat.index(after: stat.firstIndex(of: "(")!)..<close])
            return (name, nice, policy)
        }
    }

    @Test("under nice -n 7 and SCHED_BATCH, every training thread runs at nice 7 in SCHED_BATCH")
    func workersKeepNiceness() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chrt")
        process.arguments = [
            "--batch", "0", "nice", "-n", "7", EmergentProcess.executable.path, "run", "--set", "model.widths=[64]",
            "--epochs", "30", "--workers", "2", "--no-run-folders",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: EmergentProcess.workingDirectory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            // SIGKILL: the test runner's blocked signals reach the child, so SIGTERM would wait for the run.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        // Polls until both workers are up and have set their priority (the bound only turns a
        // hang into a failure); with Dispatch's priority they stay at nice −2 under root.
        var seen = Self.threads(of: process.processIdentifier)
        for _ in 0..<1200 where process.isRunning {
            seen = Self.threads(of: process.processIdentifier)
            if seen.count >= 3, seen.allSatisfy({ $0.nice == 7 && $0.policy == 3 }) { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(seen.count >= 3, "the main thread and two workers: \(seen)")
        #expect(seen.allSatisfy { $0.nice == 7 && $0.policy == 3 }, "threads (name, nice, policy 3 = SCHED_BATCH): \(seen)")
    }
}
