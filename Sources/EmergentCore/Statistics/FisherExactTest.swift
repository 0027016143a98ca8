import Foundation

/// Fisher's exact test of a 2 × 2 table, two-sided (as `scipy.stats.fisher_exact`): the
/// probability, with the margins fixed, of every table at most as likely as the one seen.
/// Compares rates (how many runs of each arm diverged) without a normal approximation.
public enum FisherExactTest {
    /// `table` is [[a, b], [c, d]]: arm 1's events and non-events, then arm 2's.
    public static func p(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
        guard a >= 0, b >= 0, c >= 0, d >= 0 else { return .nan }
        let row = a + b, column = a + c, total = a + b + c + d
        guard total > 0 else { return 1 }
        func logChoose(_ n: Int, _ k: Int) -> Double {
            lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
        }
        // P(X = x): x events in the first row, under the fixed margins.
        func probability(_ x: Int) -> Double {
            exp(logChoose(column, x) + logChoose(total - column, row - x) - logChoose(total, row))
        }
        let observed = probability(a)
        let range = max(0, row + column - total)...min(row, column)
        // scipy's relative tolerance, so tables equally likely up to rounding count.
        let p = range.map(probability).filter { $0 <= observed * (1 + 1e-7) }.reduce(0, +)
        return min(p, 1)
    }
}
