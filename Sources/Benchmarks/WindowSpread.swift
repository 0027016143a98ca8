/// What a benchmark's timed windows gave: the median it reports, and the lowest and highest,
/// so a table shows how far one figure can be trusted on this machine at this moment.
public struct WindowSpread: Sendable, Codable, Equatable {
    public let median: Double
    public let low: Double
    public let high: Double

    public init(_ samples: [Double]) {
        median = GemmBenchmark.median(samples)
        low = samples.min() ?? .nan
        high = samples.max() ?? .nan
    }

    /// Half the range as a share of the median: "±2.1%".
    public var halfRangePercent: Double { median > 0 ? 50 * (high - low) / median : .nan }

    /// "123.4 ±2.1%".
    public func text(_ format: String = "%.1f") -> String {
        String(format: format, median) + String(format: " ±%.1f%%", halfRangePercent)
    }
}
