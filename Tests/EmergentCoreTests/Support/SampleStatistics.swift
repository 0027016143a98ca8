import EmergentCore
import Foundation

/// Moments and empirical CDFs of a sample, with the standard errors that turn a formula
/// into a test tolerance: every check allows `zScore` standard errors, so a correct sampler
/// fails with probability below 1e-6 per check, and the seeds are fixed anyway.
struct SampleStatistics {
    let values: [Double]
    static let zScore = 5.0

    init(count: Int, seed: UInt64, _ draw: (inout SeededRandom) -> Double) {
        var generator = SeededRandom(seed: seed)
        values = (0..<count).map { _ in draw(&generator) }
    }

    var n: Double { Double(values.count) }
    var mean: Double { values.reduce(0, +) / n }

    /// The k-th central moment.
    func centralMoment(_ k: Double) -> Double {
        let mean = mean
        return values.reduce(0) { $0 + pow($1 - mean, k) } / n
    }

    var variance: Double { centralMoment(2) }

    /// Fraction of the sample at or below x.
    func empiricalCDF(_ x: Double) -> Double {
        Double(values.filter { $0 <= x }.count) / n
    }

    /// Whether the sample mean matches `expected` for a law with this variance.
    func meanMatches(_ expected: Double, variance: Double) -> Bool {
        abs(mean - expected) <= Self.zScore * (variance / n).squareRoot()
    }

    /// Whether the sample variance matches `expected`, given the law's fourth central
    /// moment: Var(s²) ≈ (μ₄ − σ⁴)/n.
    func varianceMatches(_ expected: Double, fourthMoment: Double) -> Bool {
        abs(variance - expected) <= Self.zScore * ((fourthMoment - expected * expected) / n).squareRoot()
    }

    /// Whether the empirical CDF at x matches F(x): its standard error is √(F(1−F)/n).
    func cdfMatches(at x: Double, _ expected: Double) -> Bool {
        abs(empiricalCDF(x) - expected) <= Self.zScore * (expected * (1 - expected) / n).squareRoot() + 1 / n
    }

    /// Whether E[cos(tX)] matches the characteristic function φ(t) of a symmetric law: the
    /// summands are bounded by 1, so their standard error is at most 1/√n.
    func characteristicFunctionMatches(at t: Double, _ expected: Double) -> Bool {
        let estimate = values.reduce(0) { $0 + cos(t * $1) } / n
        return abs(estimate - expected) <= Self.zScore / n.squareRoot()
    }
}
