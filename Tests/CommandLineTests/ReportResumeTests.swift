import Foundation
import Testing

@testable import EmergentCore

/// A long report stopped midway (a kill at a counted write, not a moment) and run again on
/// the same folder carries on from its run folders and ends with the figures of a report that
/// was never stopped.
@Suite("emergent report, stopped and run again", .serialized)
struct ReportResumeTests {
    @Test("killed halfway through its writes, then run again: it resumes and its comparisons and runs equal an uninterrupted report's")
    func resumes() throws {
        let root = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-report-\(UUID().uuidString)")
        let whole = try QuickUpdaterReport.folder.get()
        // About half of the uninterrupted report's appends (a step's records are one append).
        let lines = try FileManager.default.subpathsOfDirectory(atPath: whole + "/runs")
            .filter { $0.hasSuffix("metrics.jsonl") }
            .map { try String(contentsOfFile: whole + "/runs/" + $0, encoding: .utf8).split(separator: "\n").count }
            .reduce(0, +)
        var environment = ProcessInfo.processInfo.environment
        environment["EMERGENT_CRASH_AFTER_WRITES"] = String(lines / 10)
        let command = QuickUpdaterReport.command
        let killed = try EmergentProcess.run(command + ["--out", root + "/stopped"], environment: environment)
        #expect(killed.status != 0, "the kill stopped it")
        #expect(!FileManager.default.fileExists(atPath: root + "/stopped/REPORT.md"), "it stopped before the report")
        let again = try EmergentProcess.run(command + ["--out", root + "/stopped"])
        #expect(again.status == 0, "\(again.standardError)")
        try QuickUpdaterReport.expectEqual(root + "/stopped")
        // It carried on: the experiment folders are the same ones, not new ones beside them.
        let folders = try FileManager.default.contentsOfDirectory(atPath: root + "/stopped/runs").sorted()
        #expect(folders == (try FileManager.default.contentsOfDirectory(atPath: whole + "/runs").sorted()))
    }
}
