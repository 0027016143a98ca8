import Foundation
import Testing

@testable import EmergentCore

/// A long report stopped midway (a kill at a counted write, not a moment) and run again on
/// the same folder carries on from its run folders and ends with the figures of a report that
/// was never stopped.
@Suite("emergent report, stopped and run again", .serialized)
struct ReportResumeTests {
    static let command = ["report", "--quick", "--claim", "updater", "--workers", "2"]

    /// A CSV without the columns that hold seconds (CPU time differs between any two runs).
    static func table(_ path: String) throws -> [String] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let timed = Set(header.indices.filter { header[$0].contains("seconds") })
        return lines.map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated()
                .filter { !timed.contains($0.offset) }.map { String($0.element) }.joined(separator: ",")
        }
    }

    @Test("killed halfway through its writes, then run again: it resumes and its comparisons and runs equal an uninterrupted report's")
    func resumes() throws {
        let root = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-report-\(UUID().uuidString)")
        let whole = try EmergentProcess.run(Self.command + ["--out", root + "/whole"])
        #expect(whole.status == 0, "\(whole.standardError)")
        // About half of the uninterrupted report's appends (a step's records are one append).
        let lines = try FileManager.default.subpathsOfDirectory(atPath: root + "/whole/runs")
            .filter { $0.hasSuffix("metrics.jsonl") }
            .map { try String(contentsOfFile: root + "/whole/runs/" + $0, encoding: .utf8).split(separator: "\n").count }
            .reduce(0, +)
        var environment = ProcessInfo.processInfo.environment
        environment["EMERGENT_CRASH_AFTER_WRITES"] = String(lines / 10)
        let killed = try EmergentProcess.run(Self.command + ["--out", root + "/stopped"], environment: environment)
        #expect(killed.status != 0, "the kill stopped it")
        #expect(!FileManager.default.fileExists(atPath: root + "/stopped/REPORT.md"), "it stopped before the report")
        let again = try EmergentProcess.run(Self.command + ["--out", root + "/stopped"])
        #expect(again.status == 0, "\(again.standardError)")
        for file in ["comparisons.csv", "runs.csv"] {
            let expected = try Self.table(root + "/whole/" + file), actual = try Self.table(root + "/stopped/" + file)
            #expect(expected.count > 10 && actual == expected, "\(file) differs from the uninterrupted report's")
        }
        // It carried on: the experiment folders are the same ones, not new ones beside them.
        let folders = try FileManager.default.contentsOfDirectory(atPath: root + "/stopped/runs").sorted()
        #expect(folders == (try FileManager.default.contentsOfDirectory(atPath: root + "/whole/runs").sorted()))
    }
}
