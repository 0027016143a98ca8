import Foundation
import Testing

@testable import EmergentCore

@Suite("Claims and the reproduction report")
struct ClaimTests {
    /// Runs labelled `label`, one per value: each ends epoch 1 at `value − 0.05` and its last
    /// epoch at `value`; the target 0.8 is reached at the epoch that passes it.
    static func runs(
        _ label: String, finals: [Double], log10E: Double = 10, diverged: Bool = false
    ) throws
        -> [RunSnapshot]
    {
        let config = try EngineFixtures.experiment(#"{"init": "kaiming"}"#, extra: #""target": 0.8"#).runs[0]
        return finals.enumerated().map { index, value in
            var labelled = config
            labelled.label = label
            var run = RunSnapshot(id: index, config: labelled, stepsPerEpoch: 10)
            run.apply(
                .measured(
                    MeasurementRecord(
                        step: 0, log10E: log10E + Double(index) * 0.1, log10CompleteE: 0, log10Relative: 0, layers: [],
                        wallTime: 0)))
            for (epoch, accuracy) in [(1, value - 0.05), (2, value)] {
                run.apply(
                    .epochEnded(
                        EpochRecord(
                            epoch: epoch, step: 10 * epoch, trainLoss: 1, trainAccuracy: 0.5,
                            test: ["test/acc": accuracy], wallTime: Double(epoch))))
            }
            if diverged { run.apply(.diverged(step: 15, loss: .nan)) }
            return run
        }
    }

    @Test("verdicts: Welch at 5 % for an improvement (holds, opposite, not shown), TOST within the margin for an equivalence (equivalent, not equivalent), undecided below two values")
    func verdicts() throws {
        let high = try Self.runs("high", finals: [0.90, 0.91, 0.92])
        let low = try Self.runs("low", finals: [0.70, 0.71, 0.72])
        let noisy = try Self.runs("noisy", finals: [0.60, 0.90, 0.75])
        let single = try Self.runs("single", finals: [0.9])
        let all = high + low + noisy + single
        let better = ClaimComparison("high", against: "low", on: .final).outcome(runs: all)
        let test = try #require(WelchTest([0.90, 0.91, 0.92], [0.70, 0.71, 0.72]))
        #expect(better.test == test && better.treatment.values == [0.90, 0.91, 0.92])
        #expect(test.p < 0.05 && better.verdict == .holds)
        #expect(ClaimComparison("low", against: "high", on: .final).outcome(runs: all).verdict == .opposite)
        let noise = ClaimComparison("noisy", against: "low", on: .final).outcome(runs: all)
        #expect(try #require(noise.test).p >= 0.05 && noise.verdict == .notShown)
        // Not a difference beyond noise is not an equivalence: noisy is not shown within ±0.5 points.
        #expect(
            ClaimComparison("noisy", against: "low", on: .final, expecting: .same).outcome(runs: all).verdict
                == .notEquivalent)
        #expect(
            ClaimComparison("high", against: "low", on: .final, expecting: .same).outcome(runs: all).verdict
                == .notEquivalent)
        let tight = try Self.runs("tight", finals: [0.800, 0.801, 0.799, 0.8005, 0.7995])
        let twin = try Self.runs("twin", finals: [0.8002, 0.8008, 0.7991, 0.8001, 0.7999])
        let same = ClaimComparison("tight", against: "twin", on: .final, expecting: .same).outcome(runs: tight + twin)
        #expect(same.verdict == .equivalent && same.margin == 0.005)
        #expect(abs(try #require(same.equivalence).p - 3.0245176327337173e-06) < 1e-11, "scipy's TOST p (see ReportStatisticsTests)")
        // The interval and the detectable effect come with every tested comparison.
        let interval = try #require(better.interval)
        #expect(interval.lower > 0 && interval.upper < 0.3 && interval.lower < 0.2 && 0.2 < interval.upper)
        #expect(better.detectableEffect.map { abs($0 - 3.070892266363687) < 1e-7 } == true, "3 seeds a side detect d ≥ 3.07")
        #expect(ClaimComparison("single", against: "low", on: .final).outcome(runs: all).verdict == .undecided)
        // The first epoch is 0.05 below the final here, so the same ordering holds there.
        let first = ClaimComparison("high", against: "low", on: .firstEpoch).outcome(runs: all)
        #expect(first.treatment.values.map { ($0 * 100).rounded() } == [85, 86, 87] && first.verdict == .holds)
    }

    @Test("fewer steps to the target is better; a run that diverged has no final value")
    func directionsAndMissingValues() throws {
        // "fast" reaches 0.8 at epoch 1 (0.85 − 0.05 ≥ 0.8), "slow" only at epoch 2.
        let fast = try Self.runs("fast", finals: [0.86, 0.87, 0.88])
        let slow = try Self.runs("slow", finals: [0.81, 0.82, 0.83])
        let outcome = ClaimComparison("fast", against: "slow", on: .stepsToTarget).outcome(runs: fast + slow)
        #expect(outcome.treatment.values == [10, 10, 10] && outcome.baseline.values == [20, 20, 20])
        #expect(outcome.test!.p.isNaN && outcome.verdict == .holds, "constant sides with different values")
        let broken = try Self.runs("broken", finals: [0.9, 0.9, 0.9], diverged: true)
        let diverged = ClaimComparison("broken", against: "slow", on: .final).outcome(runs: broken + slow)
        // Divergence is compared as a rate (Fisher), never turned into a verdict on the measure.
        #expect(
            diverged.treatment.values.isEmpty && diverged.treatmentSide.diverged == 3
                && diverged.verdict == .undecided)
        #expect(diverged.divergenceP.map { abs($0 - 0.1) < 1e-12 } == true, "fisher_exact([[3, 0], [0, 3]]) = 0.1")
        #expect(ClaimComparison("slow", against: "broken", on: .final).outcome(runs: broken + slow).verdict == .undecided)
        #expect(ClaimComparison("broken", against: "broken", on: .final).outcome(runs: broken).verdict == .undecided)
        #expect(
            ClaimComparison("broken", against: "broken", on: .final, expecting: .same).outcome(runs: broken).verdict
                == .undecided)
        #expect(outcome.divergenceP == nil, "no run diverged: no divergence test")
        let dead = try Self.runs("dead", finals: [0.8, 0.8], log10E: -.infinity)
        let alsoDead = try Self.runs("also dead", finals: [0.8, 0.8], log10E: -.infinity)
        let zeroE = ClaimComparison("dead", against: "also dead", on: .initialLog10E).outcome(runs: dead + alsoDead)
        #expect(zeroE.test == nil && zeroE.verdict == .undecided, "E = 0 on both sides: no value to compare")
        let log10E = ClaimComparison("fast", against: "slow", on: .initialLog10E).outcome(runs: fast + slow)
        #expect(log10E.treatment.values == [10, 10.1, 10.2] && log10E.verdict == .notShown)
    }

    @Test("every claim experiment loads in full mode with 10 seeds an arm and in quick mode with 3, and names only runs it has")
    func catalogExperiments() throws {
        #expect(ClaimCatalog.all.map(\.id) == ["emergence", "alpha-lr", "nio-gradinit", "fractional", "updater"])
        for claim in ClaimCatalog.all {
            for experiment in claim.experiments {
                for quick in [false, true] {
                    let config = try ExperimentConfig.load(
                        experiment.preset, adjusting: quick ? experiment.quickDocument : { $0 })
                    var labels = Set(config.runs.map(\.label))
                    if let sweep = experiment.sweep {
                        let grid = SweepGrid(axes: try (quick ? sweep.quickAxes : sweep.axes).map(SweepGrid.axis))
                        labels = Set(try grid.cells(of: config, seeds: nil).map(\.label))
                    }
                    let groups = Dictionary(grouping: config.runs, by: \.group)
                    #expect(
                        groups.values.allSatisfy { $0.count == (quick ? 3 : 10) },
                        "\(experiment.name): every group has \(quick ? 3 : 10) seeds")
                    for comparison in experiment.comparisons {
                        #expect(labels.contains(comparison.treatment), "\(experiment.name): \(comparison.treatment)")
                        #expect(labels.contains(comparison.baseline), "\(experiment.name): \(comparison.baseline)")
                    }
                    if quick {
                        #expect(
                            config.dataset != "fashion-mnist", "\(experiment.name): quick mode uses the embedded subset"
                        )
                        for (label, initText) in experiment.quickInits {
                            #expect(
                                config.runs.first { $0.label == label }?.initializer
                                    == (try InitializerSpec(parsing: initText)))
                        }
                    }
                }
            }
        }
    }

    @Test("the α × lr comparisons: α > 1 against α = 1 at each lr, and best against best (the headline)")
    func alphaComparisons() throws {
        let result = try SweepTests.result()
        let comparisons = ClaimSweep.alphaComparisons(result, measure: .final)
        // 3 learning rates × 2 values of α > 1, but cell 5 (α 1.2, lr 0.1) and cell 8 still count as cells.
        #expect(comparisons.filter { !$0.headline }.count == 6)
        #expect(comparisons.first == ClaimComparison("cell 3", against: "cell 0", on: .final))
        let headline = try #require(comparisons.last)
        #expect(headline.headline && headline.treatment == "cell 7" && headline.baseline == "cell 2")
    }

    @Test(
        "REPORT.md holds the header, the verdict table, every claim's section with numbers; the CSV a row per comparison"
    )
    func markdown() throws {
        let experiment = try #require(ClaimCatalog.updater.experiments.first)
        let runs =
            try Self.runs("kaiming", finals: [0.80, 0.81, 0.82]) + Self.runs("updater", finals: [0.90, 0.91, 0.92])
            + Self.runs("kaiming ×0.3", finals: [0.50, 0.60, 0.55])
            + Self.runs("updater from ×0.3", finals: [0.81, 0.80, 0.82])
        let config = try ExperimentConfig.load(experiment.preset)
        let result = ReproductionReport.ExperimentResult(
            experiment: experiment, config: config, runs: runs, sweep: nil,
            files: ["updater/plots/loss.svg", "updater/sweep.csv"], seconds: 12)
        let report = ReproductionReport(
            header: .init(
                command: "emergent report --quick", machine: "a test machine", started: Date(timeIntervalSince1970: 0),
                seconds: 200, quick: true),
            claims: [.init(claim: ClaimCatalog.updater, experiments: [result])])
        let text = report.markdown
        for expected in [
            "- command: `emergent report --quick`", "- machine: a test machine", "total time 3.3 min", "## Verdicts",
            "## The emergent weight updater", "### MLP 784-256×6-10, healthy and ×0.3 starts",
            "| updater | kaiming | test metric after epoch 1 | 86.00 ± 1.00 | 76.00 ± 1.00 | +10.00 [7.73, 12.27] | 10.00 | 3.07 |",
            "better than the baseline on final test metric: 2 holds (of 2).",
            "the same as the control on final test metric: 1 not equivalent (of 1).",
            "- edition: 2", "The 3 headline comparisons below are one family",
            "![updater/plots/loss.svg](updater/plots/loss.svg)", "Tables: [updater/sweep.csv](updater/sweep.csv)",
        ] {
            #expect(text.contains(expected), "\(expected)")
        }
        let verdictRows = text.components(separatedBy: "## The emergent")[0].split(separator: "\n")
            .filter { $0.hasPrefix("| The emergent weight updater |") }
        #expect(verdictRows.count == experiment.comparisons.filter(\.headline).count)
        let csv = report.csv.split(separator: "\n")
        #expect(csv.count == 1 + experiment.comparisons.count)
        let fields = csv[1].split(separator: ",").map(String.init)
        #expect(
            fields.prefix(6) == ["updater", "updater", "updater", "kaiming", "test metric after epoch 1", "better"])
        let numbers = fields[6..<18].map { Double($0) ?? .nan }
        let welch = try #require(WelchTest([0.85, 0.86, 0.87], [0.75, 0.76, 0.77]))
        let interval = welch.confidenceInterval()
        let expected = [
            0.86, 0.01, 3, 0.76, 0.01, 3, 0.10, interval.lower, interval.upper, 10, 3.070892266363687, welch.p,
        ]
        #expect(zip(numbers, expected).allSatisfy { abs($0 - $1) < 1e-7 }, "\(numbers)")
        #expect(fields.last == "holds")
        // runs.csv: a row per run, its measures as the comparisons read them.
        let runRows = report.runsCSV.split(separator: "\n")
        #expect(runRows.count == 1 + runs.count)
        #expect(runRows[0].hasPrefix("claim,experiment,dataset,label,seed,init,"))
        let updaterRows = runRows.filter { $0.split(separator: ",")[3] == "updater" }
        #expect(updaterRows.count == 3)
        #expect(updaterRows[1].contains(",0.86,0.91,0.91,"), "epoch 1, final and best of the second run: \(updaterRows[1])")
        // The family: the three headline rows' deciding p, Holm-adjusted; the verdicts use it.
        let headline = report.rows.filter(\.outcome.comparison.headline)
        #expect(headline.count == 3 && report.family == 3)
        let adjusted = HolmAdjustment.adjusted(headline.map { $0.outcome.decidingP ?? .nan })
        #expect(zip(headline.map(\.adjustedP), adjusted).allSatisfy { $0 == $1 })
        #expect(report.rows.filter { !$0.outcome.comparison.headline }.allSatisfy { $0.adjustedP == nil })
    }

    @Test("a headline verdict uses Holm's p: p = 0.03 holds alone, and is not shown among three comparisons of larger p")
    func holmDecides() throws {
        let outcome = ClaimComparison("a", against: "b", on: .final, headline: true).outcome(
            runs: try Self.runs("a", finals: [0.80, 0.815, 0.83, 0.805]) + Self.runs("b", finals: [0.78, 0.79, 0.80, 0.785]))
        let p = try #require(outcome.decidingP)
        #expect(p < 0.05 && p > 0.0167, "raw p \(p): significant alone, not after ×3")
        #expect(outcome.verdict(adjustedP: nil) == .holds)
        let family = HolmAdjustment.adjusted([p, 0.4, 0.5])
        #expect(outcome.verdict(adjustedP: family[0]) == .notShown)
    }
}
