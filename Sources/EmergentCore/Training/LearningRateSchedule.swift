import Foundation

/// Learning rate as a function of the step: an optional linear warmup, then a decay.
public struct LearningRateSchedule: Sendable, Hashable, Codable {
    public enum Decay: Sendable, Hashable, Codable {
        case constant
        /// Multiply by `factor` every `every` steps.
        case step(every: Int, factor: Double)
        /// Cosine from the base rate down to `floor` over `totalSteps`.
        case cosine(totalSteps: Int, floor: Double)
        /// base · √(warmup or 1) / √step after the warmup (the transformer schedule).
        case inverseSquareRoot
    }

    public var base: Double
    public var warmupSteps: Int
    public var decay: Decay

    public init(base: Double, warmupSteps: Int = 0, decay: Decay = .constant) {
        self.base = base
        self.warmupSteps = warmupSteps
        self.decay = decay
    }

    /// The rate for 0-based `step`.
    public func rate(at step: Int) -> Double {
        if step < warmupSteps { return base * Double(step + 1) / Double(warmupSteps) }
        switch decay {
        case .constant:
            return base
        case let .step(every, factor):
            return base * pow(factor, Double((step - warmupSteps) / max(every, 1)))
        case let .cosine(totalSteps, floor):
            let progress = min(Double(step - warmupSteps) / Double(max(totalSteps - warmupSteps, 1)), 1)
            return floor + (base - floor) * 0.5 * (1 + cos(Double.pi * progress))
        case .inverseSquareRoot:
            return base * Double(max(warmupSteps, 1)).squareRoot() / Double(step + 1).squareRoot()
        }
    }
}
