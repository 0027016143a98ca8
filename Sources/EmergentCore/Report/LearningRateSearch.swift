import Foundation

/// How a claim experiment chooses each arm's learning rate: a log grid on the 1-3 series
/// (…, 0.01, 0.03, 0.1, …), each value trained on a validation split carved from the training
/// set, extended by one value past an edge while the best lies on it (at most
/// `maximumExtensions` times an arm), so the chosen rate is bracketed by worse ones.
public struct LearningRateTuning: Sendable {
    public let grid: [Double]
    public let epochs: Int
    public let quickEpochs: Int
    public let seeds: Int
    public let validationSize: Int
    public let quickValidationSize: Int
    public static let maximumExtensions = 3
    /// Rates the search never goes past.
    public static let range = 1e-6...10.0

    public init(
        grid: [Double], epochs: Int, quickEpochs: Int = 1, seeds: Int = 1, validationSize: Int = 10_000,
        quickValidationSize: Int = 2000
    ) {
        self.grid = grid.sorted()
        self.epochs = epochs
        self.quickEpochs = quickEpochs
        self.seeds = seeds
        self.validationSize = validationSize
        self.quickValidationSize = quickValidationSize
    }

    /// SGD with momentum on the image models: 0.001 … 0.3.
    public static let sgd = LearningRateTuning(grid: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3], epochs: 2)
    /// The same on one epoch, for the CNN, whose whole epochs cost the most.
    public static let sgdOneEpoch = LearningRateTuning(grid: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3], epochs: 1)
    /// Adam on the transformers: 1e-4 … 1e-2.
    public static let adam = LearningRateTuning(
        grid: [0.0001, 0.0003, 0.001, 0.003, 0.01], epochs: 2, validationSize: 400, quickValidationSize: 100)

    /// The next value of the 1-3 series above (`up`) or below `rate`: 0.01 → 0.03 → 0.1.
    public static func neighbour(of rate: Double, up: Bool) -> Double {
        let exponent = floor(log10(rate) + 1e-9)
        let mantissa = (rate / pow(10, exponent) * 1e6).rounded() / 1e6
        let next: Double =
            up
            ? (mantissa < 2 ? 3 * pow(10, exponent) : pow(10, exponent + 1))
            : (mantissa < 2 ? 3 * pow(10, exponent - 1) : pow(10, exponent))
        return Double(String(format: "%.6g", next)) ?? next
    }
}

/// The search's state: each arm's validation score at every rate tried (−∞ when the run
/// diverged), what is still to train, and the choice.
public struct LearningRateSearch: Sendable {
    public let arms: [String]
    public private(set) var scores: [String: [Double: Double]] = [:]
    public private(set) var tried: [String: [Double]]
    private var extensions: [String: Int] = [:]

    public init(arms: [String], grid: [Double]) {
        self.arms = arms
        tried = Dictionary(uniqueKeysWithValues: arms.map { ($0, grid.sorted()) })
    }

    /// The (arm, rate) pairs not scored yet, arm by arm, rates ascending.
    public var pending: [(arm: String, rate: Double)] {
        arms.flatMap { arm in tried[arm, default: []].filter { scores[arm]?[$0] == nil }.map { (arm, $0) } }
    }

    /// A score: the mean validation metric of the rate's seeds; nan or infinite (a run that
    /// diverged) counts as the worst.
    public mutating func record(arm: String, rate: Double, score: Double) {
        scores[arm, default: [:]][rate] = score.isFinite ? score : -.infinity
    }

    /// The best-scoring rate of an arm so far (the lower one on a tie).
    public func chosen(_ arm: String) -> Double? {
        let scored = tried[arm, default: []].compactMap { rate in scores[arm]?[rate].map { (rate, $0) } }
        return scored.max { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 > $1.0) }?.0
    }

    /// After a round: for each arm whose best rate is the lowest or highest it has tried,
    /// one more value past that edge. Returns whether anything was added.
    public mutating func extendEdges() -> Bool {
        var added = false
        for arm in arms {
            guard let best = chosen(arm), let rates = tried[arm], let low = rates.first, let high = rates.last,
                extensions[arm, default: 0] < LearningRateTuning.maximumExtensions
            else { continue }
            let next: Double?
            if best == low {
                next = LearningRateTuning.neighbour(of: low, up: false)
            } else if best == high {
                next = LearningRateTuning.neighbour(of: high, up: true)
            } else {
                next = nil
            }
            guard let next, LearningRateTuning.range.contains(next) else { continue }
            tried[arm] = (rates + [next]).sorted()
            extensions[arm, default: 0] += 1
            added = true
        }
        return added
    }

    /// Whether an arm's choice has a worse rate on both sides (or lies at the search's bounds).
    public func isBracketed(_ arm: String) -> Bool {
        guard let best = chosen(arm), let rates = tried[arm] else { return false }
        return (best != rates.first || LearningRateTuning.neighbour(of: best, up: false) < LearningRateTuning.range.lowerBound)
            && (best != rates.last || LearningRateTuning.neighbour(of: best, up: true) > LearningRateTuning.range.upperBound)
    }
}
