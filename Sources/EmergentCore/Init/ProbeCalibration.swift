import Foundation

/// Layer-sequential calibration on the probe, shared by LSUV and the α-stable extension of
/// the fractional scheme: each weight layer in forward order is rescaled until a statistic
/// of its raw output (before normalisation and activation) is within `tolerance` of the
/// target, relatively, in at most `rounds` probe passes. The statistic must scale as
/// c^exponent when the layer's weights are multiplied by c (the variance: 2; E|z|^s: s), so
/// each correction is (target/value)^(1/exponent).
enum ProbeCalibration {
    struct Layer {
        /// The layer's weight parameter name (`dense2.weight`).
        let weightName: String
        let scale: Double
        let passes: Int
        /// The statistic at the last pass.
        let value: Double
    }

    /// `target` nil: the first layer is only measured, and its value is every later layer's target.
    static func run(
        _ model: some InitTarget, probe: () -> Void, target: Double?, tolerance: Double, rounds: Int,
        exponent: Double, statistic: (Tensor) -> Double
    ) -> (layers: [Layer], probeForwards: Int) {
        var goal = target, forwards = 0
        var layers: [Layer] = []
        for (_, weight, output) in model.weightLayerOutputs {
            var scale = 1.0, value = 0.0, passes = 0
            for _ in 0..<rounds {
                probe()
                forwards += 1
                passes += 1
                value = statistic(output.lastOutput)
                guard let goal else { goal = value; break }
                guard value > 0, value.isFinite, abs(value / goal - 1) >= tolerance else { break }
                let factor = pow(goal / value, 1 / exponent)
                model.store.scale(weight, by: factor)
                scale *= factor
            }
            layers.append(Layer(weightName: weight.name, scale: scale, passes: passes, value: value))
        }
        return (layers, forwards)
    }

    /// Calibrates `model` and records each layer's factor in `report`, with `reason` in words,
    /// and the probe passes it took.
    static func calibrate(
        _ model: some InitTarget, report: inout InitReport, probe: () -> Void, target: Double?, tolerance: Double,
        rounds: Int, exponent: Double, statistic: (Tensor) -> Double, reason: (Layer) -> String
    ) {
        let calibration = run(
            model, probe: probe, target: target, tolerance: tolerance, rounds: rounds, exponent: exponent,
            statistic: statistic)
        report.rescale(
            model, Dictionary(uniqueKeysWithValues: calibration.layers.map { ($0.weightName, ($0.scale, reason($0))) }))
        report.probeForwards = calibration.probeForwards
    }
}
