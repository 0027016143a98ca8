import Foundation

/// TensorBoard's smoothing: an exponential moving average debiased for its start, so the
/// first points are not pulled toward zero. Non-finite values are passed through and do not
/// enter the average (a diverged run's NaN stays visible as itself).
///
/// Points may be weighted by the samples behind them (a fraction of a full batch): a point of
/// weight w decays the average as w full steps would (by `weight^w`), so an epoch's small last
/// batch moves the curve by its share of samples, not as much as a full batch.
public enum Smoothing {
    /// `weight` in 0..<1: 0 returns the values unchanged. `weights`, when given, has one
    /// positive entry a value.
    public static func debiasedEMA(_ values: [Double], weights: [Double]? = nil, weight: Double) -> [Double] {
        guard weight > 0 else { return values }
        var last = 0.0, kept = 1.0
        return values.indices.map { index in
            let value = values[index]
            guard value.isFinite else { return value }
            let decay = pow(weight, weights?[index] ?? 1)
            last = last * decay + (1 - decay) * value
            kept *= decay
            return last / (1 - kept)
        }
    }

    /// The raw curve with each partial point read as the mean over the last full batch of
    /// samples: a point of weight w < 1 becomes `w·y + (1 − w)·y_before` (its own samples plus
    /// the latest ones before it), so an epoch's last small batch does not spike the curve.
    /// Full points are unchanged.
    public static func fullBatchValues(_ values: [Double], weights: [Double]) -> [Double] {
        var before: Double?
        return values.indices.map { index in
            let value = values[index], weight = min(weights[index], 1)
            defer { if value.isFinite { before = value } }
            guard weight < 1, value.isFinite, let before else { return value }
            return weight * value + (1 - weight) * before
        }
    }
}
