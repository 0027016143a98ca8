import Foundation

/// The symmetric α-stable extension of the fractional-moment scheme (initializers.md §4,
/// labelled an extension): weights SαS(c), so z_i = Σ_j W_ij x_j ~ SαS(c·‖x‖_α). Through
/// ReLU the layer-to-layer preservation has no closed form, so c is calibrated on the probe,
/// by LSUV's loop (`ProbeCalibration`) with E|z|^s in place of the variance: the first layer
/// keeps its natural scale c = fan_in^(−1/α), and each later layer is rescaled until the
/// empirical s-th absolute moment of its pre-activations equals the first layer's. Biases
/// start at 0, so one rescale is exact; a second pass confirms it.
enum StableFractional {
    static func apply(
        _ spec: InitializerSpec, to model: some InitTarget, using generator: inout SeededRandom,
        probe: () -> Void
    ) throws(InitError) -> InitReport {
        guard !(model is Transformer) else {
            throw .notApplicable(
                scheme: "fractional", model: "transformer",
                reason: "the stable calibration reads a chain of weight layers")
        }
        var report = ClosedFormInit.apply(spec, to: model, using: &generator)
        let s = spec.number("s")
        ProbeCalibration.calibrate(
            model, report: &report, probe: probe, target: nil, tolerance: 1e-4, rounds: 3, exponent: s,
            statistic: { absoluteMoment($0, order: s) }
        ) { layer in
            String(
                format: "SαS α=%g (extension) × %.4f: E|z|^%g on the probe %.4g", spec.number("stable_alpha"),
                layer.scale, s,
                layer.value)
        }
        return report
    }

    /// Mean of |z|^s over every element.
    static func absoluteMoment(_ tensor: Tensor, order s: Double) -> Double {
        tensor.scalars.reduce(0.0) { $0 + pow(Double(abs($1)), s) } / Double(max(tensor.count, 1))
    }
}
