import Foundation
import Testing

@testable import EmergentCore

@Suite("A claim's regime, checked before its verdicts")
struct ClaimRegimeTests {
    /// Runs of `label` whose first layer starts at σ = `sigma` (the others at 0.1).
    static func initialized(_ label: String, sigma: Double, count: Int = 3) throws -> [RunSnapshot] {
        try ClaimTests.runs(label, finals: Array(repeating: 0.8, count: count)).map { run in
            var run = run
            run.initReport = InitReport(
                layers: [
                    .init(name: "dense1", standardDeviation: sigma, scale: 1, reason: ""),
                    .init(name: "dense2", standardDeviation: 0.1, scale: 1, reason: ""),
                ], probeForwards: 0)
            return run
        }
    }

    static func result(_ experiment: ClaimExperiment, _ runs: [RunSnapshot]) throws -> ReproductionReport.ExperimentResult {
        ReproductionReport.ExperimentResult(
            experiment: experiment, config: try EngineFixtures.experiment(#"{"init": "kaiming"}"#), runs: runs,
            sweep: nil, files: [], seconds: 1)
    }

    static let comparison = ClaimComparison("nio", against: "xavier", on: .final, headline: true)

    @Test("fails: the baseline's mean below the threshold, or half its runs diverged; a working baseline is not the regime")
    func fails() throws {
        let regime = ClaimRegime("Xavier fails", .fails(arm: "xavier", measure: .final, below: 0.5))
        let experiment = ClaimExperiment(name: "e", title: "E", quick: [])
        let failing = try Self.result(experiment, ClaimTests.runs("xavier", finals: [0.13, 0.12, 0.14]))
        let check = regime.check(Self.comparison, of: failing, among: [failing])
        let value = try #require(check.value)
        #expect(check.reached && abs(value - 0.13) < 1e-12)
        #expect(check.evidence == "xavier: final test metric 13.00 % (fails below 50.00 %), 0 of 3 diverged")
        let working = try Self.result(experiment, ClaimTests.runs("xavier", finals: [0.60, 0.62, 0.58]))
        #expect(!regime.check(Self.comparison, of: working, among: [working]).reached)
        // Two of three diverged: their final values are gone, and that is the failure.
        let diverging = try Self.result(
            experiment,
            ClaimTests.runs("xavier", finals: [0.9, 0.9], diverged: true) + ClaimTests.runs("xavier", finals: [0.9]))
        #expect(regime.check(Self.comparison, of: diverging, among: [diverging]).reached)
        let absent = try Self.result(experiment, ClaimTests.runs("other", finals: [0.1, 0.1]))
        #expect(!regime.check(Self.comparison, of: absent, among: [absent]).reached, "no baseline runs: nothing fails")
    }

    @Test("worse: Welch's test against the reference arm of another experiment, p < 0.05 in the worse direction")
    func worse() throws {
        let regime = ClaimRegime(
            "deeper is worse", .worse(arm: "kaiming", than: "kaiming", of: "shallow", measure: .final))
        let deep = ClaimExperiment(name: "deep", title: "deep", quick: [])
        let shallow = try Self.result(
            ClaimExperiment(name: "shallow", title: "shallow", quick: []),
            ClaimTests.runs("kaiming", finals: [0.85, 0.86, 0.87]))
        let degraded = try Self.result(deep, ClaimTests.runs("kaiming", finals: [0.75, 0.76, 0.77]))
        let check = regime.check(Self.comparison, of: degraded, among: [shallow, degraded])
        let welch = try #require(WelchTest([0.75, 0.76, 0.77], [0.85, 0.86, 0.87]))
        #expect(check.reached && check.value == welch.p)
        let better = try Self.result(deep, ClaimTests.runs("kaiming", finals: [0.95, 0.96, 0.97]))
        #expect(!regime.check(Self.comparison, of: better, among: [shallow, better]).reached, "better is not worse")
        let missing = regime.check(Self.comparison, of: degraded, among: [degraded])
        #expect(!missing.reached && missing.evidence.contains("shallow was not part of this report"))
    }

    @Test("weights differ: the largest relative difference of a layer's mean initial σ against the threshold")
    func weightsDiffer() throws {
        let regime = ClaimRegime("the inits differ", .weightsDiffer(byAtLeast: 0.05))
        let experiment = ClaimExperiment(name: "e", title: "E", quick: [])
        let comparison = ClaimComparison("fractional", against: "kaiming", on: .final)
        let apart = try Self.result(
            experiment, Self.initialized("fractional", sigma: 0.0515) + Self.initialized("kaiming", sigma: 0.05))
        let check = regime.check(comparison, of: apart, among: [apart])
        let value = try #require(check.value)
        #expect(!check.reached && abs(value - 0.03) < 1e-12, "3 % apart is not 5 %")
        let far = try Self.result(
            experiment, Self.initialized("fractional", sigma: 0.06) + Self.initialized("kaiming", sigma: 0.05))
        #expect(regime.check(comparison, of: far, among: [far]).reached)
    }

    @Test("outside its regime a claimed improvement says so, leaves Holm's family and shows in both CSVs; controls keep their verdicts")
    func reportOutsideRegime() throws {
        let experiment = ClaimExperiment(
            name: "postln", title: "post-LN", quick: [],
            comparisons: [
                Self.comparison, ClaimComparison("nio", against: "xavier", on: .final, expecting: .same, headline: true),
            ],
            regimes: [ClaimRegime("Xavier fails", .fails(arm: "xavier", measure: .final, below: 0.5))])
        let runs = try ClaimTests.runs("xavier", finals: [0.60, 0.61, 0.62]) + ClaimTests.runs("nio", finals: [0.9, 0.91, 0.92])
        let report = ReproductionReport(
            header: .init(command: "c", machine: "m", started: Date(), seconds: 1, quick: true, data: "de-en-numbers"),
            claims: [.init(claim: ClaimCatalog.learnedScales, experiments: [try Self.result(experiment, runs)])])
        let improvement = try #require(report.rows.first)
        #expect(!improvement.regimeReached && improvement.verdict == .regimeNotReached && improvement.adjustedP == nil)
        #expect(improvement.outcome.verdict == .holds, "the numbers alone would say holds")
        let control = try #require(report.rows.last)
        #expect(control.regime.isEmpty && control.verdict != .regimeNotReached)
        #expect(report.family == 1, "only the equivalence row is in the family")
        let markdown = report.markdown
        for expected in [
            "- data: de-en-numbers", "- **not reached**: Xavier fails — xavier: final test metric 61.00 %",
            "1 comparison below tests the claim outside its regime", "**regime not reached**", "*In plain words:* On the post-LN, ",
            "1 headline comparison was outside the regime",
        ] {
            #expect(markdown.contains(expected), "\(expected)")
        }
        #expect(report.csv.split(separator: "\n")[1].hasSuffix(",not reached,regime not reached"))
        let regimes = report.regimesCSV.split(separator: "\n")
        #expect(regimes.count == 2)
        #expect(regimes[1].hasPrefix("nio-gradinit,postln,nio,xavier,fails,xavier,,,final test metric,0.5,0.61,0,"))
    }
}
