@testable import EmergentCore
import Foundation
import Testing

@Suite("Statistics: Welch's t-test and the incomplete beta")
struct WelchTestTests {
    /// References computed once with scipy 1.17.1: `scipy.special.betainc(a, b, x)`.
    @Test(
        "the regularized incomplete beta matches scipy's betainc",
        arguments: [
            (0.5, 2.0, 3.0, 0.6875), (0.2, 0.5, 0.5, 0.2951672353008665), (0.9, 10.0, 2.0, 0.6973568802000002),
            (0.01, 1.0, 1.0, 0.01), (0.7, 30.0, 0.5, 4.077210994660554e-06), (0.3, 2.5, 7.5, 0.6789434858661821),
        ])
    func incompleteBeta(x: Double, a: Double, b: Double, expected: Double) {
        let value = IncompleteBeta.regularized(x: x, a: a, b: b)
        #expect(abs(value - expected) <= 1e-12 * max(1, abs(expected)), "I_\(x)(\(a), \(b)) = \(value)")
    }

    @Test("the incomplete beta's edges and symmetry: I_0 = 0, I_1 = 1, I_x(a, b) = 1 − I_{1−x}(b, a)")
    func incompleteBetaIdentities() {
        #expect(IncompleteBeta.regularized(x: 0, a: 2, b: 3) == 0)
        #expect(IncompleteBeta.regularized(x: 1, a: 2, b: 3) == 1)
        #expect(IncompleteBeta.regularized(x: 0.5, a: -1, b: 3).isNaN)
        for x in stride(from: 0.05, to: 1, by: 0.15) {
            let left = IncompleteBeta.regularized(x: x, a: 3.5, b: 1.25)
            let right = 1 - IncompleteBeta.regularized(x: 1 - x, a: 1.25, b: 3.5)
            #expect(abs(left - right) < 1e-13)
        }
    }

    /// References computed once with `scipy.stats.ttest_ind(a, b, equal_var=False)` (scipy 1.17.1):
    /// t, p and the Welch–Satterthwaite degrees of freedom.
    @Test(
        "Welch's t, degrees of freedom and two-sided p match scipy, unequal sizes and a constant group included",
        arguments: [
            (
                [0.84, 0.85, 0.83, 0.86, 0.845], [0.80, 0.82, 0.81, 0.79], 4.898979485566352, 0.002654825615907955,
                6.047244094488201
            ),
            (
                [1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0, 8.0, 9.0], -4.700096710803842, 0.0023884373023707653,
                6.797752808988763
            ),
            (
                [10.1, 9.8, 10.3, 10.0, 9.9, 10.2, 10.05], [10.0, 10.4], -0.7137464271463309, 0.587233836363011,
                1.2169831756805536
            ),
            (
                [0.812, 0.815, 0.809], [0.811, 0.816, 0.808], 0.11470786693526999, 0.9146426362337802,
                3.6907348242811433
            ),
            ([0.5, 0.5, 0.5], [0.6, 0.7, 0.65, 0.55], -3.8729833462074184, 0.030466291662170956, 3.0),
            ([0.5, 0.5, 0.5], [0.4, 0.6, 0.55, 0.45], 0.0, 1.0, 3.0),
        ])
    func welch(a: [Double], b: [Double], t: Double, p: Double, df: Double) throws {
        let test = try #require(WelchTest(a, b))
        #expect(abs(test.t - t) <= 1e-9 * max(1, abs(t)), "t \(test.t)")
        #expect(abs(test.degreesOfFreedom - df) <= 1e-9 * df, "df \(test.degreesOfFreedom)")
        #expect(abs(test.p - p) <= 1e-9 * max(p, 1e-12), "p \(test.p)")
    }

    @Test("too few values gives no test; two constant groups give nan, as scipy does")
    func degenerate() throws {
        #expect(WelchTest([0.5], [0.4, 0.6]) == nil)
        let constant = try #require(WelchTest([0.5, 0.5], [0.5, 0.5]))
        #expect(constant.p.isNaN && constant.t.isNaN)
        let effect = try #require(WelchTest([1, 2, 3], [2, 3, 4]))
        #expect(abs(effect.effectSize - (-1)) < 1e-12, "Cohen's d: difference −1 over pooled std 1")
    }
}

@Suite("Statistics in summaries")
struct SummaryStatisticsTests {
    @Test("a summary tests each group's final values against the first group's, and counts steps to the target")
    func summaryStatistics() throws {
        let experiment = try EngineFixtures.experiment(
            #"{"init": "kaiming", "seeds": 3}, {"init": "xavier", "seeds": 3}"#, extra: #""epochs": 3, "target": 0.5"#)
        #expect(experiment.runs.allSatisfy { $0.settings.target == 0.5 })
        let events = EngineFixtures.train(experiment.runs, data: try EngineFixtures.imageData(), workers: 2)
        var snapshots: [RunSnapshot] = []
        for (index, config) in experiment.runs.enumerated() {
            var snapshot = RunSnapshot(id: index, config: config, stepsPerEpoch: 12)
            for event in events[index] { snapshot.apply(event) }
            snapshots.append(snapshot)
        }
        let summary = ExperimentSummary(snapshots)
        #expect(summary.groups.count == 2 && summary.groups[0].againstFirst == nil)
        let groupIDs = [snapshots[0].config.group, snapshots[3].config.group]
        let finals = { (index: Int) in
            snapshots.filter { $0.config.group == groupIDs[index] }.compactMap { $0.latest["test/acc"] }
        }
        #expect(finals(0).count == 3 && finals(1).count == 3)
        // Described, so that two nan p-values (constant groups on this easy set) compare equal.
        #expect(
            String(describing: summary.groups[1].againstFirst) == String(describing: WelchTest(finals(1), finals(0))))
        #expect(summary.groups[1].againstFirst != nil)
        for snapshot in snapshots {
            let epochs = EngineFixtures.epochs(events[snapshot.id])
            let first = epochs.first { ($0.test["test/acc"] ?? 0) >= 0.5 }
            #expect(snapshot.targetReached?.step == first?.step, "the first epoch end at or above the target")
        }
        #expect(
            summary.groups[0].stepsToTarget.values.count
                == snapshots.filter { $0.config.group == groupIDs[0] && $0.targetReached != nil }.count)
    }

    @Test("the target defaults by dataset and is refused outside 0...1")
    func targetKey() throws {
        let experiment = try EngineFixtures.experiment(#"{"init": "kaiming"}"#)
        #expect(experiment.runs[0].settings.target == 0.80, "fashion-mnist-small's default")
        #expect(throws: ExperimentError.self) {
            try EngineFixtures.experiment(#"{"init": "kaiming"}"#, extra: #""target": 1.5"#)
        }
    }
}
