import Foundation

/// The noncentral t distribution's distribution function P(T ≤ t) for ν degrees of freedom and
/// noncentrality δ: Lenth's algorithm AS 243 (Applied Statistics 38, 1989), the series R's
/// `pt(t, df, ncp)` sums; as `scipy.stats.nct.cdf`. What a t-test's power is computed from.
public enum NoncentralT {
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double, noncentrality delta: Double) -> Double {
        guard nu > 0, t.isFinite, delta.isFinite else { return .nan }
        // Below zero by the reflection F(t; ν, δ) = 1 − F(−t; ν, −δ).
        let negative = t < 0
        let tt = negative ? -t : t, del = negative ? -delta : delta
        var total = 0.0
        let x = tt * tt / (tt * tt + nu)
        if x > 0 {
            let lambda = del * del
            var p = 0.5 * exp(-0.5 * lambda)
            var q = (2 / Double.pi).squareRoot() * p * del
            var s = 0.5 - p
            if s < 1e-7 { s = -0.5 * expm1(-0.5 * lambda) }
            var a = 0.5
            let b = 0.5 * nu
            let rxb = pow(1 - x, b)
            let logBeta = 0.5 * log(Double.pi) + lgamma(b) - lgamma(0.5 + b)
            var xOdd = IncompleteBeta.regularized(x: x, a: a, b: b)
            var gOdd = 2 * rxb * exp(a * log(x) - logBeta)
            let bx = b * x
            var xEven = bx < Double.ulpOfOne ? bx : 1 - rxb
            var gEven = bx * rxb
            total = p * xOdd + q * xEven
            for iteration in 1...1000 {
                a += 1
                xOdd -= gOdd
                xEven -= gEven
                gOdd *= x * (a + b - 1) / a
                gEven *= x * (a + b - 0.5) / (a + 0.5)
                p *= lambda / Double(2 * iteration)
                q *= lambda / Double(2 * iteration + 1)
                total += p * xOdd + q * xEven
                s -= p
                if s <= 0 && iteration > 1 { break }
                if abs(2 * s * (xOdd - gOdd)) < 1e-12 { break }
            }
        }
        // Plus Φ(−δ): the mass the series starts from.
        total += 0.5 * erfc(del / 2.0.squareRoot())
        let lower = min(max(total, 0), 1)
        return negative ? 1 - lower : lower
    }
}
