import Foundation

/// Fractional moment-preserving initialization (Gurbuzbalaban and Hu, AISTATS 2021): the
/// Gaussian weight deviation σ that keeps E‖x_k‖^s = E‖x_{k−1}‖^s through a layer of width d,
/// σ = (E[Y^{s/2}])^{−1/s}, with ‖x_k‖² = σ²‖x_{k−1}‖²·Y (initializers.md §4, exact forms).
public enum FractionalMoment {
    public enum Nonlinearity: Sendable, Hashable {
        case linear
        case relu
        case leakyRelu(slope: Double)
        /// Randomized leaky ReLU: each negative unit's slope is U[lower, upper].
        case randomizedLeakyRelu(lower: Double, upper: Double)
    }

    /// σ² for width d and moment order s ∈ (0, 2].
    public static func variance(width d: Int, order s: Double, nonlinearity: Nonlinearity) -> Double {
        precondition(d >= 1 && s > 0 && s <= 2, "need width ≥ 1 and s in (0, 2]")
        let p = s / 2
        let logMoment: Double
        switch nonlinearity {
        case .linear:
            logMoment = logChiSquareMoment(degrees: Double(d), p: p)
        case .relu:
            // Y ~ χ²_B, B ~ Binomial(d, 1/2); the n = 0 term is zero.
            var terms: [Double] = []
            for n in 1...d {
                terms.append(logBinomial(d, n) - Double(d) * M_LN2 + logChiSquareMoment(degrees: Double(n), p: p))
            }
            logMoment = logSumExp(terms)
        case let .leakyRelu(a):
            if s == 2 { return 2 / ((1 + a * a) * Double(d)) }
            // Per negative unit, ln E[e^{−t·a²z²}] = −½·ln(1 + 2a²t).
            logMoment = log(
                fractionalMoment(p: p, meanY: Double(d) / 2 * (1 + a * a)) { t in
                    oneMinusLaplace(d: d, t: t, negativeUnitLog: { -0.5 * log1p(2 * a * a * $0) })
                })
        case let .randomizedLeakyRelu(lower, upper):
            let meanSquare = (upper * upper + upper * lower + lower * lower) / 3
            if s == 2 { return 2 / ((1 + meanSquare) * Double(d)) }
            logMoment = log(
                fractionalMoment(p: p, meanY: Double(d) / 2 * (1 + meanSquare)) { t in
                    oneMinusLaplace(
                        d: d, t: t,
                        negativeUnitLog: { t in
                            // ln E_A[(1 + 2A²t)^{−1/2}], A ~ U[lower, upper], by Simpson's rule on 64 panels,
                            // averaged in expm1 form so that small t keeps full precision.
                            guard upper > lower else { return -0.5 * log1p(2 * lower * lower * t) }
                            let panels = 64
                            let h = (upper - lower) / Double(panels)
                            var sum = 0.0
                            for i in 0...panels {
                                let a = lower + Double(i) * h
                                let weight = (i == 0 || i == panels) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0)
                                sum += weight * expm1(-0.5 * log1p(2 * a * a * t))
                            }
                            return log1p(sum * h / 3 / (upper - lower))
                        })
                })
        }
        // σ^s·E[Y^{s/2}] = 1  ⇒  σ² = E[Y^{s/2}]^{−2/s}.
        return exp(-2 / s * logMoment)
    }

    /// ln E[(χ²_n)^p] = p·ln 2 + lnΓ(n/2 + p) − lnΓ(n/2).
    static func logChiSquareMoment(degrees n: Double, p: Double) -> Double {
        p * M_LN2 + lgamma(n / 2 + p) - lgamma(n / 2)
    }

    static func logBinomial(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }

    static func logSumExp(_ values: [Double]) -> Double {
        guard let top = values.max(), top > -.infinity else { return -.infinity }
        return top + log(values.reduce(0) { $0 + exp($1 - top) })
    }

    /// 1 − E[e^{−tY}] for Y = χ²_B + Σ over the d − B negative units, B ~ Binomial(d, 1/2),
    /// summed term by term as Σ_n C(d,n)·2^{−d}·(1 − L_n(t)) with 1 − L_n = −expm1(ln L_n):
    /// exact at small t, where 1 − E[e^{−tY}] ≈ t·E[Y] would vanish in a difference of ones.
    static func oneMinusLaplace(d: Int, t: Double, negativeUnitLog: (Double) -> Double) -> Double {
        let positive = -0.5 * log1p(2 * t), negative = negativeUnitLog(t)
        var total = 0.0
        for n in 0...d {
            let weight = exp(logBinomial(d, n) - Double(d) * M_LN2)
            total += weight * -expm1(Double(n) * positive + Double(d - n) * negative)
        }
        return total
    }

    /// E[Y^p] = p/Γ(1−p) · ∫₀^∞ (1 − E[e^{−tY}])·t^{−p−1} dt for p ∈ (0, 1), integrated in
    /// u = ln t with the trapezoid rule on [−50, 60] (the integrand is smooth in u, so the rule
    /// converges geometrically), plus the two tails in closed form: below, 1 − E[e^{−tY}] ≈
    /// t·E[Y]; above, it has settled at its value at the end of the range.
    static func fractionalMoment(p: Double, meanY: Double, oneMinusLaplace: (Double) -> Double) -> Double {
        let lower = -50.0, upper = 60.0, steps = 22_000
        let h = (upper - lower) / Double(steps)
        var sum = 0.0
        for i in 0...steps {
            let u = lower + Double(i) * h
            let value = oneMinusLaplace(exp(u)) * exp(-p * u)
            sum += (i == 0 || i == steps) ? value / 2 : value
        }
        let lowerTail = meanY * exp((1 - p) * lower) / (1 - p)
        let upperTail = oneMinusLaplace(exp(upper)) * exp(-p * upper) / p
        return p / tgamma(1 - p) * (sum * h + lowerTail + upperTail)
    }

    /// E|X|^s of a symmetric α-stable law with scale c, for 0 < s < α (the heavy-tailed
    /// extension's calibration target).
    public static func stableAbsoluteMoment(order s: Double, alpha: Double, scale c: Double) -> Double {
        pow(c, s) * pow(2, s) * tgamma((1 + s) / 2) * tgamma(1 - s / alpha)
            / (Double.pi.squareRoot() * tgamma(1 - s / 2))
    }

    /// E|T|^s of Student's t with ν degrees of freedom, for s < ν.
    public static func studentAbsoluteMoment(order s: Double, degreesOfFreedom nu: Double) -> Double {
        pow(nu, s / 2) * tgamma((s + 1) / 2) * tgamma((nu - s) / 2) / (Double.pi.squareRoot() * tgamma(nu / 2))
    }
}
