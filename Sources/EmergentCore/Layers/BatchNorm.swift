/// Batch normalisation over the batch (and, for images, the spatial positions) of each
/// feature or channel: batch statistics in training, running statistics in evaluation, as
/// PyTorch's BatchNorm1d/2d (momentum 0.1, ε 1e-5, unbiased running variance).
public final class BatchNorm: Layer {
    /// The layer's dotted name (`bn2`): its parameters are `bn2.weight` and `bn2.bias`.
    public let name: String
    public let gain: ParameterStore.View
    public let shift: ParameterStore.View
    public let features: Int
    public let epsilon: Float
    public let momentum: Float
    public private(set) var runningMean: [Float]
    public private(set) var runningVariance: [Float]

    /// Sets the running statistics (a checkpoint's); false, and nothing changes, when either
    /// has the wrong length.
    @discardableResult
    public func restoreRunningStatistics(mean: [Float], variance: [Float]) -> Bool {
        guard mean.count == features, variance.count == features else { return false }
        runningMean = mean
        runningVariance = variance
        return true
    }
    private unowned let store: ParameterStore
    private var normalized = Tensor.zeros([0])
    private var inverseStd: [Float] = []
    private var inputShape: [Int] = []

    public init(_ name: String, features: Int, store: ParameterStore, epsilon: Float = 1e-5, momentum: Float = 0.1) {
        self.name = name
        self.features = features
        self.epsilon = epsilon
        self.momentum = momentum
        self.store = store
        gain = store.register(name + ".weight", shape: [features], role: .normGain)
        shift = store.register(name + ".bias", shape: [features], role: .normBias)
        store.value(gain).update(repeating: 1, count: features)
        runningMean = Array(repeating: 0, count: features)
        runningVariance = Array(repeating: 1, count: features)
    }

    /// [batch, features] or [batch, channels, height, width]: the feature axis is 1.
    private func layout(_ shape: [Int]) -> (outer: Int, inner: Int) {
        precondition(
            shape.count >= 2 && shape[1] == features, "batch norm expects [batch, \(features), …], got \(shape)")
        return (shape[0], shape.dropFirst(2).reduce(1, *))
    }

    public func forward(_ input: Tensor, mode: PassMode) -> Tensor {
        inputShape = input.shape
        let (batch, spatial) = layout(input.shape)
        let perFeature = batch * spatial
        var output = Tensor(uninitialized: input.shape)
        normalized = Tensor(uninitialized: input.shape)
        inverseStd = Array(repeating: 0, count: features)
        let gamma = store.value(gain), beta = store.value(shift)
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                normalized.scalars.withUnsafeMutableBufferPointer { xhat in
                    for f in 0..<features {
                        var mean: Float, variance: Float
                        if mode.usesBatchStatistics {
                            var sum = 0.0, squares = 0.0
                            for n in 0..<batch {
                                let base = (n * features + f) * spatial
                                for s in 0..<spatial { let v = Double(x[base + s]); sum += v; squares += v * v }
                            }
                            let m = sum / Double(perFeature)
                            let biased = max(squares / Double(perFeature) - m * m, 0)
                            mean = Float(m)
                            variance = Float(biased)
                            let unbiased =
                                perFeature > 1 ? biased * Double(perFeature) / Double(perFeature - 1) : biased
                            if mode == .training {
                                runningMean[f] = (1 - momentum) * runningMean[f] + momentum * mean
                                runningVariance[f] = (1 - momentum) * runningVariance[f] + momentum * Float(unbiased)
                            }
                        } else {
                            mean = runningMean[f]
                            variance = runningVariance[f]
                        }
                        let invStd = 1 / (variance + epsilon).squareRoot()
                        inverseStd[f] = invStd
                        for n in 0..<batch {
                            let base = (n * features + f) * spatial
                            for s in 0..<spatial {
                                let h = (x[base + s] - mean) * invStd
                                xhat[base + s] = h
                                y[base + s] = gamma[f] * h + beta[f]
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Training-mode backward: dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)).
    public func backward(_ outputGradient: Tensor) -> Tensor {
        let (batch, spatial) = layout(inputShape)
        let perFeature = Float(batch * spatial)
        var inputGradient = Tensor(uninitialized: inputShape)
        let gamma = store.value(gain), dGamma = store.gradient(gain), dBeta = store.gradient(shift)
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            normalized.scalars.withUnsafeBufferPointer { xhat in
                inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                    for f in 0..<features {
                        var sumDy: Float = 0, sumDyXhat: Float = 0
                        for n in 0..<batch {
                            let base = (n * features + f) * spatial
                            for s in 0..<spatial { sumDy += dy[base + s]; sumDyXhat += dy[base + s] * xhat[base + s] }
                        }
                        dGamma[f] += sumDyXhat
                        dBeta[f] += sumDy
                        let meanDy = sumDy / perFeature, meanDyXhat = sumDyXhat / perFeature
                        let scale = gamma[f] * inverseStd[f]
                        for n in 0..<batch {
                            let base = (n * features + f) * spatial
                            for s in 0..<spatial {
                                dx[base + s] = scale * (dy[base + s] - meanDy - xhat[base + s] * meanDyXhat)
                            }
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}
