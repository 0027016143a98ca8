/// How nodes are judged active (emergence.md "Decisions for Emergent", §1.4, §6.1).
public struct EmergenceSettings: Sendable, Hashable, Codable {
    public enum Criterion: String, Sendable, Hashable, Codable, CaseIterable {
        /// Mean |post-activation| over the probe batch (and positions) above τ.
        case activation
        /// Mean |incoming weight| above τ (the weight-based reading of P2).
        case weight
    }

    public var tau: Double
    public var criterion: Criterion

    public static let defaultTau = 0.05

    public init(tau: Double = defaultTau, criterion: Criterion = .activation) throws(EmergenceError) {
        guard tau.isFinite, tau > 0 else { throw .invalidTau(tau) }
        self.tau = tau
        self.criterion = criterion
    }
}

public enum EmergenceError: Error, Equatable, CustomStringConvertible {
    case invalidTau(Double)
    case emptyProbe
    case probeTooLarge(requested: Int, available: Int)

    public var description: String {
        switch self {
        case let .invalidTau(tau):
            "τ = \(tau) is not valid; the activity threshold must be a finite number > 0 (default \(EmergenceSettings.defaultTau))"
        case .emptyProbe:
            "the probe set is empty; it needs at least 1 sample"
        case let .probeTooLarge(requested, available):
            "a probe of \(requested) samples is larger than the \(available) available; choose 1...\(available)"
        }
    }
}
