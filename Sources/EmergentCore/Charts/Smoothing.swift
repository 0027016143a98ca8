import Foundation

/// TensorBoard's smoothing: an exponential moving average debiased for its start, so the
/// first points are not pulled toward zero. Non-finite values are passed through and do not
/// enter the average (a diverged run's NaN stays visible as itself).
public enum Smoothing {
    /// `weight` in 0..<1: 0 returns the values unchanged.
    public static func debiasedEMA(_ values: [Double], weight: Double) -> [Double] {
        guard weight > 0 else { return values }
        var last = 0.0, steps = 0.0
        return values.map { value in
            guard value.isFinite else { return value }
            last = last * weight + (1 - weight) * value
            steps += 1
            return last / (1 - pow(weight, steps))
        }
    }
}
