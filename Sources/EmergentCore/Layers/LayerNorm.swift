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
        let gamma = store.value(gain), beta = store.value(shift)
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                normalized.scalars.withUnsafeMutableBufferPointer { xhat in
                    for row in 0..<rows {
                        let base = row * features
                        var mean: Float = 0
                        for f in 0..<features { mean += x[base + f] }
                        mean /= Float(features)
                        var variance: Float = 0
                        for f in 0..<features { let d = x[base + f] - mean; variance += d * d }
                        variance /= Float(features)
                        let invStd = 1 / (variance + epsilon).squareRoot()
                        inverseStd[row] = invStd
                        for f in 0..<features {
                            let h = (x[base + f] - mean) * invStd
                            xhat[base + f] = h
                            y[base + f] = gamma[f] * h + beta[f]
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
        let gamma = store.value(gain), dGamma = store.gradient(gain), dBeta = store.gradient(shift)
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            normalized.scalars.withUnsafeBufferPointer { xhat in
                inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                    for row in 0..<rows {
                        let base = row * features
                        var sumG: Float = 0, sumGXhat: Float = 0
                        for f in 0..<features {
                            let g = dy[base + f] * gamma[f]
                            sumG += g
                            sumGXhat += g * xhat[base + f]
                            dGamma[f] += dy[base + f] * xhat[base + f]
                            dBeta[f] += dy[base + f]
                        }
                        let meanG = sumG / Float(features), meanGXhat = sumGXhat / Float(features)
                        for f in 0..<features {
                            dx[base + f] = inverseStd[row] * (dy[base + f] * gamma[f] - meanG - xhat[base + f] * meanGXhat)
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}
