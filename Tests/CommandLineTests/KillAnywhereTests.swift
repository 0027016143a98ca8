import Foundation
import Testing

@testable import EmergentCore

/// SIGKILL at every kind of write (a record appended, a log synced, a checkpoint's temporary
/// file written, a rename), first of `run`, then of the `resume` that follows; a last resume
/// must end where an uninterrupted run ends, record for record (clock readings aside).
/// The kill points are counted writes (`EMERGENT_CRASH_AFTER_WRITES`), not moments, so the
/// test is the same on a loaded machine.
@Suite("Kill anywhere: run and resume killed at every kind of write", .serialized)
struct KillAnywhereTests {
    /// Two runs of three short epochs, on one worker.
    static let experiment = """
        {"name": "tiny", "model": {"kind": "mlp", "widths": [16]}, "batch_size": 16, "epochs": 3, "epoch_size": 64,
         "eval_size": 64, "probe_size": 32, "measure": {"every": 3}, "workers": 1,
         "runs": [{"init": "kaiming"}, {"init": "xavier"}]}
        """

    static func environment(crashingAfter writes: Int?) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["EMERGENT_CRASH_AFTER_WRITES"] = writes.map(String.init)
        return environment
    }

    static func experimentFolder(_ root: String) -> String? {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).first.map { root + "/" + $0 }
    }

    @Test("at least 50 kill points in run and resume, each resumed to metrics equal to an uninterrupted run's")
    func killAnywhere() throws {
        let root = try RunFolderCommandTests.temporary()
        let file = root + "/tiny.json"
        try Self.experiment.write(toFile: file, atomically: true, encoding: .utf8)
        let whole = try EmergentProcess.run(["run", file, "--runs-dir", root + "/whole"])
        try #require(whole.status == 0, "\(whole.standardError)")
        let reference = try RunFolderCommandTests.metrics(try #require(Self.experimentFolder(root + "/whole")))
        #expect(reference.count == 2 && reference.values.allSatisfy { $0.count > 50 })

        var killPoints = 0, point = 1
        while true {
            let runs = root + "/killed-\(point)"
            let killed = try EmergentProcess.run(
                ["run", file, "--runs-dir", runs], environment: Self.environment(crashingAfter: point))
            // Past the last write the run ends by itself: every point before it was tried.
            if killed.status == 0 { break }
            try #require(killed.status == SIGKILL, "run killed after write \(point): \(killed.standardError)")
            killPoints += 1
            let folder = try #require(Self.experimentFolder(runs), "the experiment folder exists after write \(point)")
            // The resume is killed too, at a point that moves with the run's.
            let resumePoint = 1 + point % 23
            let interrupted = try EmergentProcess.run(
                ["resume", folder], environment: Self.environment(crashingAfter: resumePoint))
            if interrupted.standardError.contains("stopped before its runs had folders") {
                // Killed as the experiment began: nothing to resume, said in words; run it again.
                #expect(interrupted.status != 0 && point <= 2, "after write \(point)")
                point += 3
                continue
            }
            if interrupted.status == SIGKILL { killPoints += 1 }
            let resumed = try EmergentProcess.run(["resume", folder])
            #expect(resumed.status == 0, "after write \(point): \(resumed.standardError)")
            let metrics = try RunFolderCommandTests.metrics(folder)
            #expect(metrics == reference, "run killed after write \(point), its resume after write \(resumePoint)")
            for path in try RunFolderReader.runFolderPaths(at: folder) {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path + "/metrics.jsonl"))
                #expect(!bytes.contains(0), "no NUL byte in \(path)")
            }
            #expect(FileManager.default.fileExists(atPath: folder + "/summary.json"), "after write \(point)")
            point += 3
        }
        #expect(killPoints >= 50, "\(killPoints) kill points")
        try? FileManager.default.removeItem(atPath: root)
    }
}
