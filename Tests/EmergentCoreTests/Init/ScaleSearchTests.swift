@testable import EmergentCore
import Foundation
import Testing

@Suite("Learned initializations: Hessian-vector products, scale search, GradInit, NIO")
struct ScaleSearchTests {
    static func data(count: Int, features: Int, classes: Int, seed: UInt64) -> LabelledBatch {
        var generator = SeededRandom(seed: seed)
        let x = Tensor.normal([count, features], using: &generator)
        // Labels from a fixed linear rule, so there is structure to learn.
        let labels = (0..<count).map { row in
            (0..<classes).max { a, b in
                x[row, a % features] - x[row, (a + 1) % features] < x[row, b % features] - x[row, (b + 1) % features]
            }!
        }
        return LabelledBatch(x, labels)
    }

    @Test("finite-difference HVPs match the closed-form Hessian of softmax regression")
    func hessianVectorProduct() {
        let store = ParameterStore()
        let dense = Dense("d", 4, 3, store: store)
        final class Wrapper: ClassifierModel {
            let store: ParameterStore
            let network: Sequential
            let weightLayers: [WeightLayer] = []
            init(_ store: ParameterStore, _ dense: Dense) { self.store = store; network = Sequential([dense]) }
        }
        let model = Wrapper(store, dense)
        GradientCheck.randomize(store, seed: 30)
        let batch = Self.data(count: 6, features: 4, classes: 3, seed: 31)
        let x = batch.inputs  // the Hessian of cross-entropy does not depend on the labels
        var generator = SeededRandom(seed: 32)
        let u = (0..<store.count).map { _ in Float(generator.normal()) }
        let numeric = GradientOracle(model: model).hessianVectorProduct(u, batch)
        // H·u for L = mean CE(Wx + b): per sample δz = U·x + u_b, δ(∂L/∂z) = (diag p − p pᵀ)·δz,
        // H·u = mean over samples of (δ(∂L/∂z)·xᵀ, δ(∂L/∂z)).
        let w = store.tensor(dense.weight), b = store.tensor(dense.bias!)
        var expected = [Double](repeating: 0, count: store.count)
        for n in 0..<6 {
            var z = [Double](repeating: 0, count: 3), dz = [Double](repeating: 0, count: 3)
            for o in 0..<3 {
                z[o] = Double(b[o]) + (0..<4).reduce(0) { $0 + Double(w[o, $1]) * Double(x[n, $1]) }
                dz[o] = Double(u[12 + o]) + (0..<4).reduce(0) { $0 + Double(u[o * 4 + $1]) * Double(x[n, $1]) }
            }
            let top = z.max()!
            let e = z.map { exp($0 - top) }, total = e.reduce(0, +)
            let p = e.map { $0 / total }
            let pDotDz = zip(p, dz).reduce(0) { $0 + $1.0 * $1.1 }
            for o in 0..<3 {
                let dGrad = p[o] * (dz[o] - pDotDz) / 6
                for j in 0..<4 { expected[o * 4 + j] += dGrad * Double(x[n, j]) }
                expected[12 + o] += dGrad
            }
        }
        let error = zip(numeric, expected).map { Double($0) - $1 }
        let relative =
            (error.map { $0 * $0 }.reduce(0, +)).squareRoot() / (expected.map { $0 * $0 }.reduce(0, +)).squareRoot()
        #expect(relative < 1e-3, "relative error \(relative)")
    }

    @Test("NIO's official sub-batches for B = 64, D = 4, r = 0.2 are 19, 26, 32, 26; symmetric ones overlap evenly")
    func subBatches() {
        let official = NIO.subBatchRanges(batch: 64, count: 4, ratio: 0.2, overlap: .official)
        #expect(official.map(\.count) == [19, 26, 32, 26])
        let symmetric = NIO.subBatchRanges(batch: 64, count: 4, ratio: 0.2, overlap: .symmetric)
        #expect(symmetric == [0..<19, 13..<35, 29..<51, 45..<64])
        #expect(
            NIO.gradCosine([[1, 0], [1, 0]]).cosine == 1 && abs(NIO.gradCosine([[1, 0], [0, 1]]).cosine) < 1e-12)
    }

    static func smallModel(scale: Float) -> MLP {
        let model = MLP(MLPConfiguration(widths: [6, 12, 12, 3], activation: .tanh))
        var generator = SeededRandom(seed: 40)
        try! InitializerSpec(parsing: "kaiming:gain=1").apply(to: model, using: &generator)
        for layer in model.weightLayers {
            let pointer = model.store.value(layer.weight)
            for i in 0..<layer.weight.count { pointer[i] *= scale }
        }
        return model
    }

    static func gradInitSettings(_ target: String) -> GradInit.Settings {
        var settings = GradInit.Settings()
        settings.target = target == "adam" ? .adam : .sgd
        settings.normalized = target == "sgd"
        settings.stepSize = target == "adam" ? 0.01 : 0.1
        settings.iterations = 40
        settings.batch = 32
        settings.gradientBound = 1000
        settings.search.learningRate = 0.05
        return settings
    }

    @Test("GradInit lowers its own objective on a fixed problem", arguments: ["sgd", "sgd-plain", "adam"])
    func gradInitImproves(target: String) {
        let model = Self.smallModel(scale: 0.3)
        let oracle = GradientOracle(model: model)
        let s = Self.data(count: 32, features: 6, classes: 3, seed: 41),
            fresh = Self.data(count: 16, features: 6, classes: 3, seed: 42)
        let sTilde = s.samples(0..<16).followed(by: fresh)
        let settings = Self.gradInitSettings(target)
        let before = GradInit.objective(oracle, s: s, sTilde: sTilde, settings: settings).value
        var steps = 0
        GradInit.run(oracle, settings: settings, batches: { index, _ in index % 2 == 0 ? s : fresh }) { _ in steps += 1
        }
        let after = GradInit.objective(oracle, s: s, sTilde: sTilde, settings: settings).value
        #expect(steps == 40)
        #expect(after < before, "objective \(before) → \(after)")
    }

    /// The search only uses ⟨∂F/∂θ, W_k⟩ = ∂F/∂(log-scale of tensor k); each target's formula
    /// (with its Hessian-vector product, or none for the sign step) must match central
    /// differences of F itself in every tensor's scale.
    @Test(
        "GradInit's objective gradient matches finite differences of the objective",
        arguments: ["sgd", "sgd-plain", "adam"])
    func gradInitDerivative(target: String) {
        let model = Self.smallModel(scale: 0.8)
        let oracle = GradientOracle(model: model)
        let s = Self.data(count: 32, features: 6, classes: 3, seed: 43),
            sTilde = Self.data(count: 32, features: 6, classes: 3, seed: 44)
        let settings = Self.gradInitSettings(target)
        let g = oracle.gradient(s).gradient
        let analytic = GradInit.objectiveGradient(oracle, s: s, sTilde: sTilde, g: g, settings: settings).gradient
        let theta = oracle.parameters
        for view in model.store.views where view.role == .weight {
            let exact = (view.offset..<(view.offset + view.count)).reduce(0.0) {
                $0 + Double(analytic[$1]) * Double(theta[$1])
            }
            var values: [Double] = []
            for factor in [1.0 + 1e-2, 1.0 - 1e-2] {
                var scaled = theta
                for i in view.offset..<(view.offset + view.count) { scaled[i] = Float(Double(theta[i]) * factor) }
                oracle.setParameters(scaled)
                values.append(GradInit.objective(oracle, s: s, sTilde: sTilde, settings: settings).value)
            }
            oracle.setParameters(theta)
            let numeric = (values[0] - values[1]) / 2e-2
            #expect(
                abs(numeric - exact) <= 0.03 * abs(numeric) + 0.02, "\(target) \(view.name): \(numeric) vs \(exact)")
        }
    }

    @Test("NIO lowers −GradCosine − λ·Σ‖g_d‖ on a fixed batch")
    func nioImproves() {
        let model = Self.smallModel(scale: 0.5)
        let oracle = GradientOracle(model: model)
        let batch = Self.data(count: 32, features: 6, classes: 3, seed: 43)
        var settings = NIO.Settings()
        settings.iterations = 30
        settings.batch = 32
        settings.gradientBound = 1e6
        settings.search.learningRate = 0.02
        var objectives: [Double] = []
        NIO.run(oracle, settings: settings, batches: { _, _ in batch }) { objectives.append($0.terms["objective"]!) }
        #expect(objectives.count == 30)
        #expect(objectives.last! < objectives.first!, "objective \(objectives.first!) → \(objectives.last!)")
    }

    @Test("zero-norm tensors never move, and weight scales stay above the minimum")
    func clamps() {
        let model = Self.smallModel(scale: 1)
        let oracle = GradientOracle(model: model)
        var search = ScaleSearch(store: model.store)
        let push = [Float](repeating: 1000, count: model.store.count)  // a huge gradient: every scale wants to drop
        for _ in 0..<2000 {
            search.step(objectiveGradient: push.enumerated().map { _, v in v }, constraint: false, store: model.store)
        }
        for (view, scale) in zip(model.store.views, search.scales) {
            if view.role == .bias { #expect(oracle.store.tensor(view).scalars.allSatisfy { $0 == 0 }) }
            if view.role == .weight { #expect(scale >= 0.01 - 1e-12) }
        }
    }

    @Test(
        "MetaInit lowers the gradient quotient of a badly scaled model, and its clamp holds",
        arguments: MetaInit.Derivative.allCases)
    func metaInitImproves(derivative: MetaInit.Derivative) {
        let model = Self.smallModel(scale: 4)
        let oracle = GradientOracle(model: model)
        let batch = Self.data(count: 16, features: 6, classes: 3, seed: 44)
        let before = MetaInit.gradientQuotient(oracle, batch)
        var settings = MetaInit.Settings()
        settings.iterations = 25
        settings.learningRate = 0.2
        settings.derivative = derivative
        let evaluations = oracle.gradientEvaluations
        let scales = MetaInit.run(oracle, settings: settings, batches: { _, _ in batch })
        let after = MetaInit.gradientQuotient(oracle, batch)
        #expect(after < before, "gradient quotient \(before) → \(after)")
        #expect(scales.count == 3 && scales.values.allSatisfy { $0 >= 0.01 - 1e-9 })
        // Each GQ costs a gradient and an HVP (3 evaluations): once, then twice per tensor or twice in all.
        #expect(oracle.gradientEvaluations - evaluations - 3 == 25 * 3 * (1 + 2 * (derivative == .central ? 3 : 1)))
    }
}
