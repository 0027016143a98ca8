import Foundation
import FuzzHarnesses
import Testing

/// Every input the fuzzers keep: each harness's seed corpus and every crash a fuzzer ever
/// found, replayed through the same harness. A regression traps here.
@Suite("Fuzz corpus and regressions replay")
struct FuzzRegressionTests {
    static let fuzzFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz").path

    @Test("each harness's seed corpus and regressions are handled without a trap", arguments: FuzzHarness.allCases)
    func replay(_ harness: FuzzHarness) throws {
        let corpus = FuzzInput.files(in: Self.fuzzFolder + "/corpus/" + harness.rawValue)
        let regressions = FuzzInput.files(in: Self.fuzzFolder + "/regressions/" + harness.rawValue)
        #expect(corpus.count >= 3, "\(harness.rawValue) has a seed corpus")
        for file in corpus + regressions {
            let bytes = try #require(FuzzInput.read(file), "\(file) reads")
            harness.run(bytes)
        }
    }
}
