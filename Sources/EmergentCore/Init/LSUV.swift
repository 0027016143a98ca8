import Kernels

/// Layer-sequential unit variance (Mishkin and Matas 2016, initializers.md §8): orthogonal
/// weights, then each weight layer in forward order rescaled until its output variance on
/// the probe is within `tolerance` of 1 (at most `iterations` rounds). Biases untouched.
enum LSUV {
    static func apply(_ spec: InitializerSpec, to model: some InitTarget, using generator: inout SeededRandom,
                      probe: () -> Void) -> InitReport {
        var report = ClosedFormInit.apply(try! InitializerSpec(parsing: "orthogonal:gain=1"), to: model, using: &generator)
        let tolerance = spec.number("tolerance"), rounds = Int(spec.number("iterations"))
        var forwards = 0
        var factors: [String: (scale: Double, reason: String)] = [:]
        for (_, weight, output) in model.weightLayerOutputs {
            var scale = 1.0, variance = 0.0, used = 0
            for _ in 0..<rounds {
                probe()
                forwards += 1
                used += 1
                let values = output.lastOutput
                variance = values.scalars.withUnsafeBufferPointer { buffer -> Double in
                    let moments = VectorStatistics.sumAndSquares(buffer.baseAddress!, count: buffer.count)
                    let mean = moments.sum / Double(max(buffer.count, 1))
                    return moments.squares / Double(max(buffer.count, 1)) - mean * mean
                }
                if abs(variance - 1) < tolerance || variance <= 0 { break }
                let factor = 1 / variance.squareRoot()
                let pointer = model.store.value(weight)
                for i in 0..<weight.count { pointer[i] *= Float(factor) }
                scale *= factor
            }
            factors[weight.name] = (scale, String(format: "orthogonal, then × %.4f over %d probe passes (output variance %.3f)", scale, used, variance))
        }
        report.rescale(model, factors)
        report.probeForwards = forwards
        return report
    }
}
