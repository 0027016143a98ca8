import Kernels

/// Layer normalisation over the last dimension of [rows, features] (ε 1e-5, as PyTorch).
public final class LayerNorm: Layer {
    public let gain: ParameterStore.View
    public let shift: ParameterStore.View
    public let features: Int
    public let epsilon: Float
    private unowned let store: ParameterStore
    private var normalized = Tensor.zeros([0])
    private var inverseStd: [Float] = []

    public init(_ name: String, features: Int, store: ParameterStore, epsilon: Float = 1e-5) {
        self.features = features
        self.epsilon = epsilon
        self.store = store
        gain = store.register(name + ".weight", shape: [features], role: .normGain)
        shift = store.register(name + ".bias", shape: [features], role: .normBias)
        store.value(gain).update(repeating: 1, count: features)
    }

    public func forward(_ input: Tensor, mode: PassMode) -> Tensor {
        precondition(input.shape.last == features, "layer norm expects [rows, \(features)], got \(input.shape)")
        let rows = input.count / features
        var output = Tensor(uninitialized: input.shape)
        normalized = Tensor(uninitialized: input.shape)
        inverseStd = Array(repeating: 0, count: rows)
        let gamma = UnsafePointer(store.value(gain)), beta = UnsafePointer(store.value(shift)), n = features
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                normalized.scalars.withUnsafeMutableBufferPointer { xhat in
                    for row in 0..<rows {
                        let xRow = x.baseAddress! + row * n, hRow = xhat.baseAddress! + row * n,
                            yRow = y.baseAddress! + row * n
                        let mean = Lanes.sum(n) { f, w in Lanes.load(xRow + f, w) } / Float(n)
                        let variance =
                            Lanes.sum(n) { f, w in
                                let d = Lanes.load(xRow + f, w) - mean; return d * d
                            } / Float(n)
                        let invStd = 1 / (variance + epsilon).squareRoot()
                        inverseStd[row] = invStd
                        Lanes.forEach(n) { f, w in
                            let h = (Lanes.load(xRow + f, w) - mean) * invStd
                            Lanes.store(h, hRow + f, w)
                            Lanes.store(Lanes.load(gamma + f, w) * h + Lanes.load(beta + f, w), yRow + f, w)
                        }
                    }
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let rows = outputGradient.count / features
        var inputGradient = Tensor(uninitialized: outputGradient.shape)
        let gamma = UnsafePointer(store.value(gain)), dGamma = store.gradient(gain), dBeta = store.gradient(shift),
            n = features
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            normalized.scalars.withUnsafeBufferPointer { xhat in
                inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                    for row in 0..<rows {
                        let dyRow = dy.baseAddress! + row * n, hRow = xhat.baseAddress! + row * n,
                            dxRow = dx.baseAddress! + row * n
                        let meanG =
                            Lanes.sum(n) { f, w in Lanes.load(dyRow + f, w) * Lanes.load(gamma + f, w) } / Float(n)
                        let meanGXhat =
                            Lanes.sum(n) { f, w in
                                Lanes.load(dyRow + f, w) * Lanes.load(gamma + f, w) * Lanes.load(hRow + f, w)
                            } / Float(n)
                        let invStd = inverseStd[row]
                        Lanes.forEach(n) { f, w in
                            let g = Lanes.load(dyRow + f, w), h = Lanes.load(hRow + f, w)
                            Lanes.store(Lanes.load(dGamma + f, w) + g * h, dGamma + f, w)
                            Lanes.store(Lanes.load(dBeta + f, w) + g, dBeta + f, w)
                            Lanes.store(invStd * (g * Lanes.load(gamma + f, w) - meanG - h * meanGXhat), dxRow + f, w)
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}
