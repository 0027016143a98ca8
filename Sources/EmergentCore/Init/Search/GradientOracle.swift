import Kernels

/// Loss and flat gradient of a classifier on a batch, at whatever parameters the store holds,
/// in probe mode (batch statistics, no running-statistics update, no dropout), as the learned
/// schemes need them (initializers.md §1.2).
public final class GradientOracle {
    public let store: ParameterStore
    let evaluate: (Tensor, [Int]) -> Double
    /// Forward + backward passes so far: the cost a learned scheme reports.
    public private(set) var gradientEvaluations = 0

    public init(model: some ClassifierModel) {
        store = model.store
        evaluate = { inputs, labels in
            model.store.zeroGradients()
            let result = SoftmaxCrossEntropy()(logits: model.forward(inputs, mode: .probe), targets: labels)
            model.backward(result.gradient)
            return result.loss
        }
    }

    /// Loss, and ∇loss as a flat copy.
    public func gradient(_ inputs: Tensor, _ labels: [Int]) -> (loss: Double, gradient: [Float]) {
        gradientEvaluations += 1
        let loss = evaluate(inputs, labels)
        return (loss, Array(UnsafeBufferPointer(start: store.gradients, count: store.count)))
    }

    public var parameters: [Float] { Array(UnsafeBufferPointer(start: store.values, count: store.count)) }

    public func setParameters(_ values: [Float]) {
        values.withUnsafeBufferPointer { store.values.update(from: $0.baseAddress!, count: store.count) }
    }

    /// H·u ≈ (∇L(θ + εu) − ∇L(θ − εu)) / 2ε (initializers.md §1.3): two gradients instead of
    /// double backpropagation. ε = 1e-3·‖θ‖/‖u‖ balances Float32 rounding against curvature.
    public func hessianVectorProduct(_ u: [Float], _ inputs: Tensor, _ labels: [Int]) -> [Float] {
        let theta = parameters
        let uNorm = FlatVector.norm(u)
        guard uNorm > 0 else { return Array(repeating: 0, count: u.count) }
        let epsilon = Float(1e-3 * max(FlatVector.norm(theta), 1) / uNorm)
        setParameters(FlatVector.axpy(theta, u, epsilon))
        let plus = gradient(inputs, labels).gradient
        setParameters(FlatVector.axpy(theta, u, -epsilon))
        let minus = gradient(inputs, labels).gradient
        setParameters(theta)
        return zip(plus, minus).map { ($0 - $1) / (2 * epsilon) }
    }
}

/// Flat-vector helpers in Double accumulation.
enum FlatVector {
    static func dot(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
    static func norm(_ a: [Float]) -> Double { dot(a, a).squareRoot() }
    /// a + scale·b.
    static func axpy(_ a: [Float], _ b: [Float], _ scale: Float) -> [Float] { zip(a, b).map { $0 + scale * $1 } }
}
