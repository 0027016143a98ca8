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
        ProbeCalibration.calibrate(
            model, report: &report, probe: probe, target: 1, tolerance: spec.number("tolerance"),
            rounds: Int(spec.number("iterations")), exponent: 2, statistic: variance
        ) { layer in
            String(
                format: "orthogonal, then × %.4f over %d probe passes (output variance %.3f)", layer.scale,
                layer.passes,
                layer.value)
        }
        return report
    }

    static func variance(_ values: Tensor) -> Double {
        values.scalars.withUnsafeBufferPointer { buffer in
            let deviation = VectorStatistics.standardDeviation(buffer.baseAddress!, count: buffer.count)
            return deviation * deviation
        }
    }
}
