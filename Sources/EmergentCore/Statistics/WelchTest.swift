import Foundation

/// Welch's two-sample t-test (unequal variances), two-sided: t, the Welch–Satterthwaite
/// degrees of freedom, and the p-value from Student's t distribution through the
/// regularized incomplete beta function. As `scipy.stats.ttest_ind(a, b, equal_var=False)`.
public struct WelchTest: Sendable, Equatable {
    public let t: Double
    public let degreesOfFreedom: Double
    public let p: Double
    /// mean(a) − mean(b).
    public let difference: Double
    /// The difference over the pooled sample standard deviation (Cohen's d); nan when both
    /// groups are constant.
    public let effectSize: Double
    /// The difference's standard error, √(s²_a/n_a + s²_b/n_b).
    public let standardError: Double

    /// Nil when a group has fewer than two values; p is nan when both groups are constant
    /// (there is no variance to test against), as scipy gives.
    public init?(_ a: [Double], _ b: [Double]) {
        guard a.count >= 2, b.count >= 2 else { return nil }
        let first = ExperimentSummary.Statistic(values: a), second = ExperimentSummary.Statistic(values: b)
        let (meanA, varianceA, meanB, varianceB) = (first.mean, first.variance, second.mean, second.variance)
        let na = Double(a.count), nb = Double(b.count)
        let sa = varianceA / na, sb = varianceB / nb
        difference = meanA - meanB
        let pooled = (((na - 1) * varianceA + (nb - 1) * varianceB) / (na + nb - 2)).squareRoot()
        effectSize = pooled > 0 ? difference / pooled : .nan
        standardError = (sa + sb).squareRoot()
        guard sa + sb > 0 else {
            t = .nan
            degreesOfFreedom = na + nb - 2
            p = .nan
            return
        }
        t = difference / (sa + sb).squareRoot()
        degreesOfFreedom = (sa + sb) * (sa + sb) / (sa * sa / (na - 1) + sb * sb / (nb - 1))
        p = Self.twoSidedP(t: t, degreesOfFreedom: degreesOfFreedom)
    }

    /// The interval around the difference that holds the true one with probability `level`:
    /// difference ± t_{(1+level)/2, ν}·SE, as scipy's `ttest_ind(…).confidence_interval(level)`.
    /// Nan ends when both groups are constant.
    public func confidenceInterval(level: Double = 0.95) -> (lower: Double, upper: Double) {
        guard standardError > 0 else { return (.nan, .nan) }
        let half = StudentT.quantile((1 + level) / 2, degreesOfFreedom: degreesOfFreedom) * standardError
        return (difference - half, difference + half)
    }

    /// P(|T| ≥ |t|) for Student's t with `degreesOfFreedom`: I_{ν/(ν+t²)}(ν/2, 1/2).
    public static func twoSidedP(t: Double, degreesOfFreedom: Double) -> Double {
        guard t.isFinite, degreesOfFreedom > 0 else { return .nan }
        return IncompleteBeta.regularized(
            x: degreesOfFreedom / (degreesOfFreedom + t * t), a: degreesOfFreedom / 2, b: 0.5)
    }
}
