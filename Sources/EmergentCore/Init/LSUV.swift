import Kernels

/// Layer-sequential unit variance (Mishkin and Matas 2016, initializers.md §8): orthogonal
/// weights, then each weight layer in forward order rescaled until its output variance on
/// the probe is within `tolerance` of 1 (at most `iterations` rounds). Biases untouched.
enum LSUV {
    static func apply(
        _ spec: InitializerSpec, to model: some InitTarget, using generator: inout SeededRandom,
        probe: () -> Void
    ) -> InitReport {
        var report = ClosedFormInit.apply(
            try! InitializerSpec(parsing: "orthogonal:gain=1"), to: model, using: &generator)
        let calibration = ProbeCalibration.run(
            model, probe: probe, target: 1, tolerance: spec.number("tolerance"),
            rounds: Int(spec.number("iterations")), exponent: 2, statistic: variance)
        report.rescale(
            model,
            Dictionary(
                uniqueKeysWithValues: calibration.layers.map { layer in
                    (
                        layer.weightName,
                        (
                            layer.scale,
                            String(
                                format: "orthogonal, then × %.4f over %d probe passes (output variance %.3f)",
                                layer.scale, layer.passes, layer.value)
                        )
                    )
                }))
        report.probeForwards = calibration.probeForwards
        return report
    }

    static func variance(_ values: Tensor) -> Double {
        values.scalars.withUnsafeBufferPointer { buffer in
            let moments = VectorStatistics.sumAndSquares(buffer.baseAddress!, count: buffer.count)
            let mean = moments.sum / Double(max(buffer.count, 1))
            return moments.squares / Double(max(buffer.count, 1)) - mean * mean
        }
    }
}
