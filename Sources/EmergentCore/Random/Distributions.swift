import Foundation

/// Samplers on `SeededRandom`, in Double so that formulas (log-gamma, stable laws) keep
/// their precision; weights are rounded to Float once at the end.
extension SeededRandom {
    /// Uniform on [0, 1), 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform on the open interval (0, 1): safe for logarithms and inverse CDFs.
    public mutating func openUniform() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// Uniform on [lower, upper).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * uniform()
    }

    /// Normal with the given mean and standard deviation (Box–Muller; the pair's second
    /// value is kept for the next call).
    public mutating func normal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return mean + standardDeviation * spare
        }
        let radius = (-2 * Foundation.log(openUniform())).squareRoot()
        let angle = 2 * Double.pi * uniform()
        spareNormal = radius * sin(angle)
        return mean + standardDeviation * radius * cos(angle)
    }

    /// A standard normal conditioned on [lower, upper] (in standard deviations), scaled and
    /// shifted. Inverse-CDF sampling: one uniform per draw for any interval, including
    /// narrow ones and those far in a tail, where rejection would loop for long.
    public mutating func truncatedNormal(
        mean: Double = 0, standardDeviation: Double = 1, lower: Double = -2, upper: Double = 2
    ) -> Double {
        precondition(lower < upper, "truncated normal needs lower < upper, got [\(lower), \(upper)]")
        // Sample in the lower tail, where Φ has full relative precision.
        if lower > 0 {
            return mean - standardDeviation * standardTruncatedNormal(-upper, -lower)
        }
        return mean + standardDeviation * standardTruncatedNormal(lower, upper)
    }

    private mutating func standardTruncatedNormal(_ lower: Double, _ upper: Double) -> Double {
        let low = NormalDistribution.cdf(lower)
        let high = NormalDistribution.cdf(upper)
        let draw = NormalDistribution.quantile(low + (high - low) * openUniform())
        return min(max(draw, lower), upper)
    }

    /// Exponential with rate 1.
    public mutating func exponential() -> Double {
        -Foundation.log(openUniform())
    }

    /// Gamma with the given shape and scale 1 (Marsaglia and Tsang 2000; shapes below 1
    /// through the boost Gamma(k) = Gamma(k + 1)·U^(1/k)).
    public mutating func gamma(shape: Double) -> Double {
        precondition(shape > 0, "gamma shape must be > 0, got \(shape)")
        if shape < 1 {
            return gamma(shape: shape + 1) * pow(openUniform(), 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = openUniform()
            if Foundation.log(u) < 0.5 * x * x + d - d * v + d * Foundation.log(v) {
                return d * v
            }
        }
    }

    /// Student's t with ν degrees of freedom: Z / √(χ²_ν / ν).
    public mutating func studentT(degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "Student-t degrees of freedom must be > 0, got \(nu)")
        let chiSquared = 2 * gamma(shape: nu / 2)
        return normal() / (chiSquared / nu).squareRoot()
    }

    /// Symmetric α-stable with characteristic function exp(−|scale·t|^α), by the
    /// Chambers–Mallows–Stuck method (β = 0). α = 2 is a normal with variance 2·scale²,
    /// α = 1 a Cauchy.
    public mutating func symmetricStable(alpha: Double, scale: Double = 1) -> Double {
        precondition(alpha > 0 && alpha <= 2, "stability index α must be in (0, 2], got \(alpha)")
        let v = Double.pi * (openUniform() - 0.5)
        let w = exponential()
        if alpha == 1 { return scale * tan(v) }
        let first = sin(alpha * v) / pow(cos(v), 1 / alpha)
        let second = pow(cos((1 - alpha) * v) / w, (1 - alpha) / alpha)
        return scale * first * second
    }
}
