import Foundation

/// What a two-sample t-test could detect: the power of the two-sided test at level α for an
/// effect of d pooled standard deviations with n₁ and n₂ values (the noncentral t, as
/// statsmodels' `TTestIndPower`), and the smallest d it detects with a given power.
public enum PowerAnalysis {
    /// P(reject) for a true effect `d` (Cohen's d) at level `alpha`, two-sided.
    public static func power(effect d: Double, counts n1: Int, _ n2: Int, alpha: Double = 0.05) -> Double {
        guard n1 >= 2, n2 >= 2, alpha > 0, alpha < 1 else { return .nan }
        let nu = Double(n1 + n2 - 2)
        let delta = d / (1 / Double(n1) + 1 / Double(n2)).squareRoot()
        let critical = StudentT.quantile(1 - alpha / 2, degreesOfFreedom: nu)
        return 1 - NoncentralT.cdf(critical, degreesOfFreedom: nu, noncentrality: delta)
            + NoncentralT.cdf(-critical, degreesOfFreedom: nu, noncentrality: delta)
    }

    /// The smallest Cohen's d detected with probability `power` at level `alpha` (bisection on
    /// the power, which grows with d); nan with fewer than two values a side.
    public static func minimumDetectableEffect(
        counts n1: Int, _ n2: Int, alpha: Double = 0.05, power target: Double = 0.8
    ) -> Double {
        guard n1 >= 2, n2 >= 2 else { return .nan }
        var low = 0.0, high = 1.0
        while power(effect: high, counts: n1, n2, alpha: alpha) < target && high < 1e6 { high *= 2 }
        for _ in 0..<100 {
            let middle = (low + high) / 2
            if power(effect: middle, counts: n1, n2, alpha: alpha) < target { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}
