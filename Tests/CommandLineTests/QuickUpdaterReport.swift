import Foundation
import Testing

/// The quick report of the `updater` claim, trained once here and read by the tests that
/// compare another way of making it (stopped and run again, on a cluster) with it. Trained
/// once because a debug build takes minutes for it.
enum QuickUpdaterReport {
    static let command = ["report", "--quick", "--claim", "updater", "--workers", "2"]

    /// The uninterrupted report's folder.
    static let folder: Swift.Result<String, any Error> = Swift.Result {
        let root = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-report-\(UUID().uuidString)")
        let whole = try EmergentProcess.run(command + ["--out", root])
        guard whole.status == 0 else { throw ReportFailed(message: whole.standardError) }
        return root
    }

    struct ReportFailed: Error, CustomStringConvertible {
        let message: String
        var description: String { "the uninterrupted quick report failed: \(message)" }
    }

    /// A CSV's rows without the columns, and the rows, that measure time (CPU time differs
    /// between any two runs).
    static func timeless(_ path: String) throws -> [String] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let timed = Set(header.indices.filter { header[$0].contains("seconds") })
        return lines.filter { !$0.contains("seconds to target") }.map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated()
                .filter { !timed.contains($0.offset) }.map { String($0.element) }.joined(separator: ",")
        }
    }

    /// Expects `folder`'s comparisons, runs and regime checks to equal the uninterrupted
    /// report's in every figure but time.
    static func expectEqual(_ folder: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let whole = try Self.folder.get()
        for file in ["comparisons.csv", "runs.csv", "regimes.csv"] {
            let expected = try timeless(whole + "/" + file), actual = try timeless(folder + "/" + file)
            // The updater claim has no regime checks: regimes.csv is its header alone.
            #expect(
                expected.count > (file == "regimes.csv" ? 0 : 10) && actual == expected,
                "\(file) differs from the uninterrupted report's", sourceLocation: sourceLocation)
        }
    }
}
