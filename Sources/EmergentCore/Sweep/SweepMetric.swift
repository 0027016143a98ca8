/// What a sweep's cell shows: a key at the first epoch N, its best, or its final value
/// (`test/acc@final`, `test/acc@epoch1`, `test/loss@best`). Best is the lowest for a loss,
/// the highest otherwise.
public struct SweepMetric: Sendable, Equatable, CustomStringConvertible {
    public enum Point: Sendable, Equatable { case final, best, epoch(Int) }

    public let key: String
    public let point: Point

    public static let standard = SweepMetric(key: "test/acc", point: .final)

    public init(key: String, point: Point) {
        self.key = key
        self.point = point
    }

    public init(parsing text: String) throws(SweepError) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts[0].contains("/"), !parts[0].hasSuffix("/") else {
            throw SweepError("--metric '\(text)' is not KEY@final, KEY@best or KEY@epochN (e.g. test/acc@epoch1)")
        }
        key = parts[0]
        switch parts[1] {
        case "final": point = .final
        case "best": point = .best
        default:
            guard parts[1].hasPrefix("epoch"), let epoch = Int(parts[1].dropFirst(5)), epoch >= 1 else {
                throw SweepError("--metric '\(text)': after @ comes final, best or epochN with N ≥ 1")
            }
            point = .epoch(epoch)
        }
    }

    public var lowerIsBetter: Bool { key.contains("loss") }

    public var description: String {
        switch point {
        case .final: "\(key)@final"
        case .best: "\(key)@best"
        case let .epoch(epoch): "\(key)@epoch\(epoch)"
        }
    }

    /// The run's value, nil when it does not have one (yet, or diverged before it).
    public func value(of run: RunSnapshot) -> Double? {
        guard let history = run.series[key] else { return nil }
        let points = history.buckets.map { $0.mean } + history.recent.map(\.y)
        switch point {
        case .final: return run.latest[key]
        case .best:
            let finite = points.filter(\.isFinite)
            return lowerIsBetter ? finite.min() : finite.max()
        case let .epoch(epoch):
            // Epoch-end series have one point per epoch; step series are read at the epoch's last step.
            if key.hasPrefix("test/") || key.hasPrefix("train/epoch") {
                return history.recent.count >= epoch && history.buckets.isEmpty ? history.recent[epoch - 1].y : nil
            }
            let step = Double(epoch * run.stepsPerEpoch)
            return history.recent.first { $0.x == step }?.y
        }
    }
}
