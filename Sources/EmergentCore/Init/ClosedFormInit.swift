import Foundation
import Kernels

/// The schemes that need neither data nor search: Kaiming, Xavier, the framework default,
/// orthogonal, ZerO and fractional-moment. Biases and norm shifts start at 0, norm gains at
/// 1, embeddings at N(0, 1).
enum ClosedFormInit {
    static func apply(
        _ spec: InitializerSpec, to model: some InitTarget, using generator: inout SeededRandom
    ) -> InitReport {
        let store = model.store
        let names = Dictionary(
            model.weightsInOrder.map { ($0.weight.name, $0.name) }, uniquingKeysWith: { first, _ in first })
        var layers: [InitReport.Layer] = []
        var fractionalCache: [Int: Double] = [:]
        for view in store.views {
            let pointer = store.value(view)
            var local = generator.split()
            switch view.role {
            case .bias, .normBias: pointer.update(repeating: 0, count: view.count); continue
            case .normGain: pointer.update(repeating: 1, count: view.count); continue
            case .embedding: for i in 0..<view.count { pointer[i] = Float(local.normal()) }; continue
            case .weight: break
            }
            let receptive = view.shape.dropFirst(2).reduce(1, *)
            let fanIn = view.shape.count > 1 ? view.shape[1] * receptive : view.shape[0]
            let fanOut = view.shape[0] * receptive
            let reason: String
            switch spec.scheme {
            case .kaiming:
                let gain = spec.gain(for: model)
                let fan = spec.value("mode") == "fan_in" ? fanIn : fanOut
                let std = gain / Double(fan).squareRoot()
                fill(
                    pointer, count: view.count, std: std, uniform: spec.value("distribution") == "uniform",
                    using: &local)
                reason = String(
                    format: "kaiming %@ %@ gain %.4f: std %.5f", spec.value("distribution"), spec.value("mode"), gain,
                    std)
            case .xavier:
                let std = spec.number("gain") * (2 / Double(fanIn + fanOut)).squareRoot()
                fill(
                    pointer, count: view.count, std: std, uniform: spec.value("distribution") == "uniform",
                    using: &local)
                reason = String(
                    format: "xavier %@ gain %@: std %.5f", spec.value("distribution"), spec.value("gain"), std)
            case .framework:
                fill(
                    pointer, count: view.count, std: 1 / (3 * Double(fanIn)).squareRoot(), uniform: true, using: &local)
                reason = String(format: "uniform ±1/√%d", fanIn)
            case .orthogonal:
                let gain = spec.gain(for: model)
                let isConv = view.shape.count == 4
                if isConv && spec.value("conv") == "delta" {
                    reason = String(format: "delta-orthogonal centre tap × %.4f", gain)
                    writeCentreTap(
                        Orthogonal.matrix(rows: view.shape[0], columns: view.shape[1], using: &local).map { $0 * gain },
                        into: pointer, shape: view.shape)
                } else {
                    reason = String(format: "orthogonal %d×%d × %.4f", view.shape[0], view.count / view.shape[0], gain)
                    let matrix = Orthogonal.matrix(
                        rows: view.shape[0], columns: view.count / view.shape[0], using: &local)
                    for i in 0..<view.count { pointer[i] = Float(matrix[i] * gain) }
                }
            case .zero:
                let normalization = ZerO.Normalization(rawValue: spec.value("normalization"))!
                let matrix = ZerO.matrix(rows: view.shape[0], columns: view.shape[1], normalization: normalization)
                if view.shape.count == 4 {
                    writeCentreTap(matrix, into: pointer, shape: view.shape)
                } else {
                    for i in 0..<view.count { pointer[i] = Float(matrix[i]) }
                }
                reason =
                    view.shape[0] <= view.shape[1]
                    ? "ZerO partial identity" : "ZerO Hadamard (\(normalization.rawValue))"
            case .fractional:
                let (nonlinearity, label) = fractionalNonlinearity(spec, model: model)
                let s = spec.number("s")
                let variance =
                    fractionalCache[fanIn]
                    ?? FractionalMoment.variance(width: fanIn, order: s, nonlinearity: nonlinearity)
                fractionalCache[fanIn] = variance
                let sigma = variance.squareRoot()
                if spec.value("distribution") == "student" {
                    let nu = spec.number("nu")
                    let scale = sigma * ((nu - 2) / nu).squareRoot()
                    for i in 0..<view.count { pointer[i] = Float(scale * local.studentT(degreesOfFreedom: nu)) }
                    reason = String(
                        format: "fractional s=%g %@, Student-t ν=%g (extension): σ²·d %.5f", s, label, nu,
                        variance * Double(fanIn))
                } else if spec.value("distribution") == "stable" {
                    // The natural scale of a sum of fan_in stable terms; calibrated on the probe afterwards.
                    let alpha = spec.number("stable_alpha"), scale = pow(Double(fanIn), -1 / alpha)
                    for i in 0..<view.count { pointer[i] = Float(local.symmetricStable(alpha: alpha, scale: scale)) }
                    reason = String(
                        format: "fractional s=%g, SαS α=%g (extension): c = fan_in^(-1/α) = %.5f", s, alpha, scale)
                } else {
                    fill(pointer, count: view.count, std: sigma, uniform: false, using: &local)
                    reason = String(format: "fractional s=%g %@: σ²·d %.5f", s, label, variance * Double(fanIn))
                }
            case .emergence, .lsuv, .fixup, .tfixup, .gradinit, .nio, .metainit, .updater, .weights:
                preconditionFailure("\(spec.scheme) is not a closed-form scheme")
            }
            layers.append(
                InitReport.Layer(
                    name: names[view.name] ?? view.name, standardDeviation: standardDeviation(pointer, view.count),
                    scale: 1, reason: reason))
        }
        return InitReport(layers: layers, probeForwards: 0)
    }

    static func fill(
        _ pointer: UnsafeMutablePointer<Float>, count: Int, std: Double, uniform: Bool,
        using generator: inout SeededRandom
    ) {
        let bound = std * 3.0.squareRoot()
        for i in 0..<count {
            pointer[i] = Float(uniform ? generator.uniform(-bound, bound) : generator.normal(standardDeviation: std))
        }
    }

    /// Zero kernel except the centre tap, which gets the [out, in] matrix.
    static func writeCentreTap(_ matrix: [Double], into pointer: UnsafeMutablePointer<Float>, shape: [Int]) {
        let (outputs, inputs, kh, kw) = (shape[0], shape[1], shape[2], shape[3])
        pointer.update(repeating: 0, count: outputs * inputs * kh * kw)
        for o in 0..<outputs {
            for c in 0..<inputs {
                pointer[((o * inputs + c) * kh + kh / 2) * kw + kw / 2] = Float(matrix[o * inputs + c])
            }
        }
    }

    static func fractionalNonlinearity(
        _ spec: InitializerSpec, model: some InitTarget
    ) -> (FractionalMoment.Nonlinearity, String) {
        switch spec.value("activation") {
        case "relu": return (.relu, "relu")
        case "linear": return (.linear, "linear")
        case "leaky_relu": return (.leakyRelu(slope: spec.number("slope")), "leaky \(spec.value("slope"))")
        case "randomized_leaky_relu":
            return (.randomizedLeakyRelu(lower: spec.number("lower"), upper: spec.number("upper")), "randomized leaky")
        default:
            switch model.nonlinearity {
            case .relu: return (.relu, "relu")
            case let .leakyRelu(slope): return (.leakyRelu(slope: Double(slope)), "leaky \(slope)")
            case .linear: return (.linear, "linear")
            case .gelu: return (.relu, "relu (GELU treated as ReLU)")
            case .silu: return (.relu, "relu (SiLU treated as ReLU)")
            case .tanh: return (.linear, "linear (tanh treated as linear)")
            }
        }
    }

    static func standardDeviation(_ pointer: UnsafePointer<Float>, _ count: Int) -> Double {
        VectorStatistics.standardDeviation(pointer, count: count)
    }
}
