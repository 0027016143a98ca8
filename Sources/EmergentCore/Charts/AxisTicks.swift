import Foundation

/// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, as many as fit, covering a
/// range (Heckbert's labelling, as most chart libraries do it).
public enum AxisTicks {
    /// The step of 1, 2 or 5 × 10^k nearest `span / count` (Heckbert's rounding: below
    /// 1.5, 3 and 7 times the power of ten).
    public static func step(span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite, count > 0 else { return 1 }
        let raw = span / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let ratio = raw / magnitude
        let factor = ratio < 1.5 ? 1.0 : ratio < 3 ? 2.0 : ratio < 7 ? 5.0 : 10.0
        return factor * magnitude
    }

    /// Tick values inside [lower, upper], at most about `count` of them.
    public static func ticks(lower: Double, upper: Double, count: Int) -> [Double] {
        guard lower.isFinite, upper.isFinite, upper > lower else { return lower.isFinite ? [lower] : [] }
        let step = step(span: upper - lower, count: max(count, 1))
        var ticks: [Double] = []
        var value = ceil(lower / step - 1e-9) * step
        while value <= upper + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    /// Ticks of a log10 axis over [lowerLog, upperLog] (the logs of the values), as logs: the
    /// values 1, 2 and 5 × 10^k inside the range; only the powers of ten (every n-th) when
    /// those are more than `count`; linear 1-2-5 values when the range holds fewer than two.
    public static func logTicks(lowerLog: Double, upperLog: Double, count: Int) -> [Double] {
        guard lowerLog.isFinite, upperLog.isFinite, upperLog > lowerLog else { return lowerLog.isFinite ? [lowerLog] : [] }
        let count = max(count, 1)
        let decades = Int(floor(lowerLog))...Int(ceil(upperLog))
        let inRange = { (log: Double) in log >= lowerLog - 1e-9 && log <= upperLog + 1e-9 }
        let oneTwoFive = decades.flatMap { k in [1.0, 2, 5].map { log10($0) + Double(k) } }.filter(inRange)
        if oneTwoFive.count >= 2 && oneTwoFive.count <= count { return oneTwoFive }
        if oneTwoFive.count > count {
            let powers = decades.map(Double.init).filter(inRange)
            let stride = max(Int((Double(powers.count) / Double(count)).rounded(.up)), 1)
            return powers.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        }
        return ticks(lower: pow(10, lowerLog), upper: pow(10, upperLog), count: count).filter { $0 > 0 }.map(log10)
    }
}
