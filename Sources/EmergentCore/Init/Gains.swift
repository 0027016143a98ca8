import Foundation

/// Initialization gains for an activation (initializers.md §1.1).
public enum Gains {
    /// PyTorch's `calculate_gain` where one exists (ReLU √2, leaky √(2/(1+a²)), tanh 5/3,
    /// linear 1); the second-moment fixed point 1/√E[φ(z)²] for GELU and SiLU, which have none.
    public static func standard(for activation: ActivationKind) -> Double {
        switch activation {
        case .relu: 2.0.squareRoot()
        case let .leakyRelu(slope): (2 / (1 + Double(slope * slope))).squareRoot()
        case .tanh: 5.0 / 3.0
        case .linear: 1
        case .gelu, .silu: fixedPoint(for: activation)
        }
    }

    /// 1/√E[φ(z)²] with z ~ N(0, 1), by the trapezoid rule on [−12, 12] (the Gaussian
    /// weight makes the rule converge geometrically): GELU 1.5335, SiLU 1.6765, tanh 1.5925, ReLU √2.
    public static func fixedPoint(for activation: ActivationKind) -> Double {
        1 / secondMoment(activation).squareRoot()
    }

    /// E[φ(z)²] for z ~ N(0, 1).
    public static func secondMoment(_ activation: ActivationKind) -> Double {
        let steps = 4_800, lower = -12.0, h = 24.0 / Double(steps)
        var sum = 0.0
        for i in 0...steps {
            let z = lower + Double(i) * h
            let value = Double(activation.apply(Float(z)))
            // apply works in Float; recompute GELU and SiLU in Double for precise constants.
            let phi: Double =
                switch activation {
                case .gelu: 0.5 * z * (1 + erf(z / 2.0.squareRoot()))
                case .silu: z / (1 + exp(-z))
                default: value
                }
            let term = phi * phi * NormalDistribution.density(z)
            sum += (i == 0 || i == steps) ? term / 2 : term
        }
        return sum * h
    }
}
