import Foundation

/// Student's t distribution with ν degrees of freedom: its distribution function through the
/// regularized incomplete beta function, and its quantiles by bisection on it (as
/// `scipy.stats.t.cdf` and `scipy.stats.t.ppf`).
public enum StudentT {
    /// P(T ≤ t).
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        guard nu > 0, !t.isNaN else { return .nan }
        if t == .infinity { return 1 }
        if t == -.infinity { return 0 }
        let tail = 0.5 * IncompleteBeta.regularized(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// The t with P(T ≤ t) = p, for p in (0, 1); ±∞ at 0 and 1, nan outside.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        guard nu > 0, p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        // The upper tail by symmetry, so bisection works on the side where the cdf is steep.
        if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: nu) }
        var low = 0.0, high = 1.0
        while cdf(high, degreesOfFreedom: nu) < p && high < 1e300 { high *= 2 }
        for _ in 0..<300 {
            let middle = (low + high) / 2
            if middle == low || middle == high { break }
            if cdf(middle, degreesOfFreedom: nu) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}
