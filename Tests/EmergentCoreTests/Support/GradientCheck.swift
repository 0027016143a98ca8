@testable import EmergentCore
import Foundation

/// Finite-difference checks of explicit backward passes.
///
/// The checked function is f(θ) = Σ r ⊙ layer(x; θ) with fixed random r, so every output
/// element contributes. Central differences in Float32 with step h = 1e-2 have truncation
/// error O(h²·f''') and rounding error about ε·|f|/h; for the smooth, O(1)-scaled test
/// problems used here both stay below 1e-3 relative, so the whole gradient vector must
/// agree to 1e-2 relative L2 error (a sign or index bug gives errors of order 1). The
/// denominator has a floor of 0.1: a gradient that is truly zero (a bias before batch
/// norm) is then held to an absolute error of 1e-3, ten times the finite-difference noise
/// (Float32 rounding of f ≈ 1e-6 over 2h = 0.02 gives ≈ 5e-5 per element).
enum GradientCheck {
    static let step: Float = 1e-2
    static let tolerance = 1e-2

    /// Relative L2 distance ‖a − b‖ / max(‖b‖, 0.1).
    static func relativeError(_ a: [Float], _ b: [Float]) -> Double {
        var difference = 0.0, norm = 0.0
        for (x, y) in zip(a, b) {
            difference += Double(x - y) * Double(x - y)
            norm += Double(y) * Double(y)
        }
        return difference.squareRoot() / max(norm.squareRoot(), 0.1)
    }

    static func objective(_ output: Tensor, _ weights: Tensor) -> Double {
        zip(output.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Checks the input gradient and every parameter gradient of `layer` at `input`.
    /// Returns the relative errors by name ("input", parameter names).
    static func check(
        _ layer: any Layer, store: ParameterStore, input: Tensor, seed: UInt64 = 99,
        mode: PassMode = .training
    ) -> [String: Double] {
        var generator = SeededRandom(seed: seed)
        let probe = layer.forward(input, mode: mode)
        let weights = Tensor.normal(probe.shape, using: &generator)
        store.zeroGradients()
        _ = layer.forward(input, mode: mode)
        let analyticInput = layer.backward(weights)
        var errors: [String: Double] = [:]

        var numericInput = [Float](repeating: 0, count: input.count)
        var shifted = input
        for i in 0..<input.count {
            let original = shifted.scalars[i]
            shifted.scalars[i] = original + step
            let plus = objective(layer.forward(shifted, mode: mode), weights)
            shifted.scalars[i] = original - step
            let minus = objective(layer.forward(shifted, mode: mode), weights)
            shifted.scalars[i] = original
            numericInput[i] = Float((plus - minus) / Double(2 * step))
        }
        errors["input"] = relativeError(analyticInput.scalars, numericInput)

        for view in store.views {
            let analytic = store.gradientTensor(view).scalars
            var numeric = [Float](repeating: 0, count: view.count)
            let pointer = store.value(view)
            for i in 0..<view.count {
                let original = pointer[i]
                pointer[i] = original + step
                let plus = objective(layer.forward(input, mode: mode), weights)
                pointer[i] = original - step
                let minus = objective(layer.forward(input, mode: mode), weights)
                pointer[i] = original
                numeric[i] = Float((plus - minus) / Double(2 * step))
            }
            errors[view.name] = relativeError(analytic, numeric)
        }
        return errors
    }

    /// Fills every parameter with N(0, 0.5²) (gains near 1), so checks do not depend on an initializer.
    static func randomize(_ store: ParameterStore, seed: UInt64) {
        var generator = SeededRandom(seed: seed)
        for view in store.views {
            let pointer = store.value(view)
            for i in 0..<view.count {
                pointer[i] = Float(generator.normal(mean: view.role == .normGain ? 1 : 0, standardDeviation: 0.5))
            }
        }
    }
}
