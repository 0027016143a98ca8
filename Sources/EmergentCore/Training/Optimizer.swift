import Foundation
import Kernels

/// The optimizers of the product spec, stepping over a model's flat parameter buffer.
public enum OptimizerKind: Sendable, Hashable, Codable {
    /// SGD with momentum (PyTorch's form: v = μv + g; step v, or g + μv with Nesterov) and
    /// L2 weight decay added to the gradient.
    case sgd(momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0)
    /// Adam with L2 weight decay added to the gradient.
    case adam(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0)
    /// Adam with decoupled weight decay (Loshchilov and Hutter).
    case adamW(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01)
}

public final class Optimizer {
    public var kind: OptimizerKind
    /// Per-parameter learning-rate multipliers by parameter name (the control runs of the
    /// emergence experiments need α^(−2·idx) per layer); 1 where absent.
    public var learningRateMultipliers: [String: Float]
    /// Rescale gradients whose global L2 norm exceeds this (nil: no clipping).
    public var clipNorm: Float?
    private var firstMoment: [Float] = []
    private var secondMoment: [Float] = []
    public private(set) var stepCount = 0

    /// Everything the optimizer carries from step to step (momentum or Adam's moments, and the
    /// step count for bias correction): what a fork or a checkpoint must copy.
    public struct State: Sendable, Equatable, Codable {
        public var firstMoment: [Float]
        public var secondMoment: [Float]
        public var stepCount: Int
    }

    public var state: State {
        get { State(firstMoment: firstMoment, secondMoment: secondMoment, stepCount: stepCount) }
        set {
            firstMoment = newValue.firstMoment
            secondMoment = newValue.secondMoment
            stepCount = newValue.stepCount
        }
    }

    public init(_ kind: OptimizerKind, learningRateMultipliers: [String: Float] = [:], clipNorm: Float? = nil) {
        self.kind = kind
        self.learningRateMultipliers = learningRateMultipliers
        self.clipNorm = clipNorm
    }

    /// The global gradient norm before clipping, for logging.
    @discardableResult
    public func step(_ store: ParameterStore, learningRate: Float) -> Double {
        if firstMoment.count != store.count {
            firstMoment = Array(repeating: 0, count: store.count)
            secondMoment = Array(repeating: 0, count: store.count)
        }
        stepCount += 1
        let norm = VectorStatistics.sumAndSquares(store.gradients, count: store.count).squares.squareRoot()
        let clipScale: Float = clipNorm.map { norm > Double($0) ? Float(Double($0) / (norm + 1e-6)) : 1 } ?? 1
        for view in store.views {
            let rate = learningRate * (learningRateMultipliers[view.name] ?? 1)
            update(
                values: store.value(view), gradients: store.gradient(view), offset: view.offset,
                count: view.count, rate: rate, clipScale: clipScale)
        }
        return norm
    }

    private func update(
        values w: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>,
        offset: Int, count: Int, rate: Float, clipScale: Float
    ) {
        firstMoment.withUnsafeMutableBufferPointer { m in
            secondMoment.withUnsafeMutableBufferPointer { v in
                let m = m.baseAddress! + offset, v = v.baseAddress! + offset
                // 16 lanes at a time: a scalar loop with its divisions and square roots was
                // 4 % of a transformer step.
                switch kind {
                case let .sgd(momentum, nesterov, decay):
                    Lanes.forEach(count) { i, lanes in
                        let grad = Lanes.load(g + i, lanes) * clipScale + decay * Lanes.load(w + i, lanes)
                        var weights = Lanes.load(w + i, lanes)
                        if momentum == 0 {
                            weights -= rate * grad
                        } else {
                            let velocity = momentum * Lanes.load(m + i, lanes) + grad
                            Lanes.store(velocity, m + i, lanes)
                            weights -= rate * (nesterov ? grad + momentum * velocity : velocity)
                        }
                        Lanes.store(weights, w + i, lanes)
                    }
                case let .adam(beta1, beta2, epsilon, decay), let .adamW(beta1, beta2, epsilon, decay):
                    let decoupled: Bool
                    if case .adamW = kind { decoupled = true } else { decoupled = false }
                    let t = Float(stepCount)
                    let correction1 = 1 - powf(beta1, t), correction2 = 1 - powf(beta2, t)
                    Lanes.forEach(count) { i, lanes in
                        var weights = Lanes.load(w + i, lanes)
                        var grad = Lanes.load(g + i, lanes) * clipScale
                        if decoupled { weights -= rate * decay * weights } else { grad += decay * weights }
                        let first = beta1 * Lanes.load(m + i, lanes) + (1 - beta1) * grad
                        let second = beta2 * Lanes.load(v + i, lanes) + (1 - beta2) * grad * grad
                        Lanes.store(first, m + i, lanes)
                        Lanes.store(second, v + i, lanes)
                        weights -= rate * (first / correction1) / ((second / correction2).squareRoot() + epsilon)
                        Lanes.store(weights, w + i, lanes)
                    }
                }
            }
        }
    }
}
