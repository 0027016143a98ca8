import Kernels

/// Loss and flat gradient of a model on a batch, at whatever parameters the store holds, in
/// probe mode (batch statistics, no running-statistics update, no dropout), as the learned
/// schemes need them (initializers.md §1.2).
public final class GradientOracle<Batch: SearchBatch> {
    public let store: ParameterStore
    let evaluate: (Batch) -> Double
    /// Forward + backward passes so far: the cost a learned scheme reports.
    public private(set) var gradientEvaluations = 0

    /// `evaluate` zeroes the store's gradients, runs forward and backward, returns the loss.
    init(store: ParameterStore, evaluate: @escaping (Batch) -> Double) {
        self.store = store
        self.evaluate = evaluate
    }

    /// Loss, and ∇loss as a flat copy.
    public func gradient(_ batch: Batch) -> (loss: Double, gradient: [Float]) {
        gradientEvaluations += 1
        let loss = evaluate(batch)
        return (loss, Array(UnsafeBufferPointer(start: store.gradients, count: store.count)))
    }

    public var parameters: [Float] { Array(UnsafeBufferPointer(start: store.values, count: store.count)) }

    public func setParameters(_ values: [Float]) {
        values.withUnsafeBufferPointer { store.values.update(from: $0.baseAddress!, count: store.count) }
    }

    /// H·u ≈ (∇L(θ + εu) − ∇L(θ − εu)) / 2ε (initializers.md §1.3): two gradients instead of
    /// double backpropagation. ε = 1e-3·‖θ‖/‖u‖ balances Float32 rounding against curvature.
    public func hessianVectorProduct(_ u: [Float], _ batch: Batch) -> [Float] {
        let theta = parameters
        let uNorm = FlatVector.norm(u)
        guard uNorm > 0 else { return Array(repeating: 0, count: u.count) }
        let epsilon = Float(1e-3 * max(FlatVector.norm(theta), 1) / uNorm)
        setParameters(FlatVector.axpy(theta, u, epsilon))
        let plus = gradient(batch).gradient
        setParameters(FlatVector.axpy(theta, u, -epsilon))
        let minus = gradient(batch).gradient
        setParameters(theta)
        return zip(plus, minus).map { ($0 - $1) / (2 * epsilon) }
    }
}

extension GradientOracle where Batch == LabelledBatch {
    public convenience init(model: some ClassifierModel) {
        self.init(store: model.store) { batch in
            ClassifierTraining.forwardBackward(model: model, inputs: batch.inputs, labels: batch.labels, mode: .probe)
                .loss
        }
    }
}

extension GradientOracle where Batch == TranslationBatch {
    /// Padding targets are ignored, as in training.
    public convenience init(transformer: Transformer) {
        self.init(store: transformer.store) { batch in
            TranslationTraining.forwardBackward(
                model: transformer, batch: batch, mode: .probe,
                loss: SoftmaxCrossEntropy(ignoreIndex: Int(CharacterTokenizer.padding))
            ).loss
        }
    }
}

/// Flat-vector helpers in Double accumulation.
enum FlatVector {
    static func dot(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
    static func norm(_ a: [Float]) -> Double { dot(a, a).squareRoot() }
    /// a + scale·b.
    static func axpy(_ a: [Float], _ b: [Float], _ scale: Float) -> [Float] { zip(a, b).map { $0 + scale * $1 } }
}
