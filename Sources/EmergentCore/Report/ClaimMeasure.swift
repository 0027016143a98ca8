/// A quantity of one run that a claim is judged on. Each seed gives one value; a run that
/// has none (it diverged before the point, or never reached the target) gives none, and the
/// comparison says how many values each side had.
public enum ClaimMeasure: String, Sendable, CaseIterable {
    case firstEpoch = "test metric after epoch 1"
    case final = "final test metric"
    case stepsToTarget = "steps to target"
    case secondsToTarget = "seconds to target"
    case initialLog10E = "log10 E at step 0"

    /// Whether a larger value is the better one (fewer steps and seconds to target are better).
    public var higherIsBetter: Bool {
        switch self {
        case .firstEpoch, .final, .initialLog10E: true
        case .stepsToTarget, .secondsToTarget: false
        }
    }

    /// Accuracy-like measures are shown in percent.
    public var isPercentage: Bool { self == .firstEpoch || self == .final }

    /// How far apart two arms may be and still count as the same (the TOST margin), stated in
    /// the report: half a point of accuracy, a tenth of a decade of E, a tenth of the
    /// baseline's steps or seconds to the target.
    public func equivalenceMargin(baselineMean: Double) -> Double {
        switch self {
        case .firstEpoch, .final: 0.005
        case .initialLog10E: 0.1
        case .stepsToTarget, .secondsToTarget: 0.1 * abs(baselineMean)
        }
    }

    /// The margin in words, for the report.
    public var marginText: String {
        switch self {
        case .firstEpoch, .final: "±0.5 points"
        case .initialLog10E: "±0.1 in log10 E"
        case .stepsToTarget, .secondsToTarget: "±10 % of the baseline"
        }
    }

    public func value(of run: RunSnapshot) -> Double? {
        switch self {
        case .firstEpoch: run.firstEpochTest
        case .final: run.divergedAt == nil ? run.testMetric : nil
        case .stepsToTarget: run.targetReached.map { Double($0.step) }
        case .secondsToTarget: run.targetReached?.seconds
        case .initialLog10E: run.initialLog10E
        }
    }
}
