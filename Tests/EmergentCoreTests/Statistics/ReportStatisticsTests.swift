@testable import EmergentCore
import Foundation
import Testing

/// The arithmetic the claims report's verdicts rest on, against values scipy 1.17.1 computed
/// (each constant with the call that made it). Holm's adjustment is not in scipy: its values
/// come from the definition, computed in numpy as shown.
@Suite("Report statistics: t quantiles, confidence intervals, power, Holm, TOST, Fisher")
struct ReportStatisticsTests {
    static let a = [0.842, 0.851, 0.838, 0.846, 0.849, 0.855, 0.841, 0.844, 0.850, 0.847]
    static let b = [0.836, 0.829, 0.845, 0.833, 0.838, 0.831, 0.840, 0.828, 0.835, 0.842]

    static func close(_ x: Double, _ y: Double, _ tolerance: Double = 1e-9) -> Bool {
        abs(x - y) <= tolerance * max(abs(y), 1e-300) || abs(x - y) < 1e-15
    }

    @Test(
        "Student's t quantiles equal scipy.stats.t.ppf(p, df)",
        arguments: [
            (0.975, 3.0, 3.1824463052837078), (0.975, 17.3, 2.1070320037534676), (0.8, 10.0, 0.8790578285505889),
            (0.999, 2.5, 13.82219311086596), (0.6, 1.0, 0.32491969623290634),
        ])
    func quantiles(p: Double, df: Double, expected: Double) {
        #expect(Self.close(StudentT.quantile(p, degreesOfFreedom: df), expected, 1e-10))
        #expect(Self.close(StudentT.quantile(1 - p, degreesOfFreedom: df), -expected, 1e-10), "symmetric")
        #expect(Self.close(StudentT.cdf(expected, degreesOfFreedom: df), p, 1e-12))
    }

    @Test("Welch's 95 % confidence interval equals scipy's ttest_ind(a, b, equal_var=False).confidence_interval(0.95)")
    func confidenceInterval() throws {
        // r = scipy.stats.ttest_ind(a, b, equal_var=False): statistic 4.392164644370525,
        // pvalue 0.0003568498763313186, df 17.874068395951976; r.confidence_interval(0.95)
        let test = try #require(WelchTest(Self.a, Self.b))
        #expect(Self.close(test.t, 4.392164644370525) && Self.close(test.p, 0.0003568498763313186, 1e-8))
        #expect(Self.close(test.degreesOfFreedom, 17.874068395951976))
        let interval = test.confidenceInterval(level: 0.95)
        #expect(Self.close(interval.lower, 0.005527096914831605, 1e-9), "\(interval)")
        #expect(Self.close(interval.upper, 0.015672903085168503, 1e-9), "\(interval)")
    }

    @Test(
        "the noncentral t's distribution function equals scipy.stats.nct.cdf(t, df, nc)",
        arguments: [
            (2.1, 18.0, 2.5, 0.34235920236423256), (-1.3, 5.0, 0.7, 0.03550261853408837),
            (0.4, 3.5, -1.2, 0.9402376599937501), (2.10092204024096, 18.0, 3.9, 0.04229402697962437),
        ])
    func noncentral(t: Double, df: Double, nc: Double, expected: Double) {
        #expect(Self.close(NoncentralT.cdf(t, degreesOfFreedom: df, noncentrality: nc), expected, 1e-9))
    }

    @Test(
        "power at d = 2 and the smallest effect detected at 80 % power equal scipy's noncentral t",
        arguments: [
            // power(d, n1, n2) = nct.sf(c, df, nc) + nct.cdf(-c, df, nc), df = n1 + n2 - 2,
            // nc = d / sqrt(1/n1 + 1/n2), c = t.ppf(0.975, df);
            // mde = brentq(lambda d: power(d, n1, n2) - 0.8, 0.01, 4.5, xtol=1e-13)
            (3, 3, 0.462640811891307, 3.070892266363687), (10, 10, 0.9881789885195854, 1.3249473925792306),
            (5, 8, 0.8905266679170938, 1.75495155846958),
        ])
    func power(n1: Int, n2: Int, atTwo: Double, detectable: Double) {
        #expect(Self.close(PowerAnalysis.power(effect: 2, counts: n1, n2), atTwo, 1e-8))
        #expect(Self.close(PowerAnalysis.minimumDetectableEffect(counts: n1, n2), detectable, 1e-7))
        #expect(PowerAnalysis.minimumDetectableEffect(counts: 1, 5).isNaN, "one value: nothing to detect with")
    }

    @Test("Holm's adjustment follows its definition; nan stays nan and is not counted")
    func holm() {
        // p = [0.01, 0.04, 0.03, 0.005, 0.2]; order = argsort(p); running max of
        // min(1, (m - i) * p[order[i]]) → [0.04, 0.09, 0.09, 0.025, 0.2]
        let adjusted = HolmAdjustment.adjusted([0.01, 0.04, 0.03, 0.005, 0.2])
        for (x, y) in zip(adjusted, [0.04, 0.09, 0.09, 0.025, 0.2]) { #expect(Self.close(x, y, 1e-12), "\(adjusted)") }
        let withGap = HolmAdjustment.adjusted([0.01, .nan, 0.04])
        #expect(withGap[1].isNaN && Self.close(withGap[0], 0.02) && Self.close(withGap[2], 0.04))
        #expect(HolmAdjustment.adjusted([0.6, 0.7]) == [1, 1], "capped at 1")
    }

    @Test("TOST within ±0.005 equals max(t.sf((Δ + m)/se, df), t.cdf((Δ − m)/se, df)) with Welch's df")
    func equivalence() throws {
        // a, b above: not equivalent within ±0.005 (they differ by 0.0106)
        let apart = try #require(EquivalenceTest(Self.a, Self.b, margin: 0.005))
        #expect(Self.close(apart.p, 0.9838220126132582, 1e-9))
        // c = [0.800, 0.801, 0.799, 0.8005, 0.7995], e = [0.8002, 0.8008, 0.7991, 0.8001, 0.7999]
        let same = try #require(
            EquivalenceTest([0.800, 0.801, 0.799, 0.8005, 0.7995], [0.8002, 0.8008, 0.7991, 0.8001, 0.7999], margin: 0.005))
        #expect(Self.close(same.p, 3.0245176327337173e-06, 1e-6))
        #expect(EquivalenceTest([1], [1, 2], margin: 0.1) == nil)
    }

    @Test(
        "Fisher's exact test equals scipy.stats.fisher_exact(table).pvalue",
        arguments: [
            ([0, 10, 5, 5], 0.032507739938080496), ([3, 7, 3, 7], 1.0), ([1, 9, 6, 4], 0.057275541795665644),
            ([10, 0, 0, 10], 1.082508822446903e-05),
        ])
    func fisher(table: [Int], expected: Double) {
        #expect(Self.close(FisherExactTest.p(table[0], table[1], table[2], table[3]), expected, 1e-9))
    }
}
