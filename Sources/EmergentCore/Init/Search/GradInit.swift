import Foundation

/// GradInit (Zhu et al. 2021, initializers.md §3), SGD target with the normalised step: learn
/// per-tensor scales so that one step θ' = θ − η·g/‖g‖ on batch S gives the lowest loss on
/// S̃ (half of S and a fresh half), with the constraint ‖g‖ ≤ γ. Derivatives come from
/// finite-difference Hessian-vector products (§1.3):
/// constraint: ∂‖g‖/∂θ = H_S·ĝ; objective: ∂(L_S̃(θ')/η)/∂θ = v/η − H_S·(v − ĝ⟨ĝ,v⟩)/‖g‖.
public enum GradInit {
    public struct Settings: Sendable {
        public var iterations = 100
        public var batch = 64
        /// The target SGD learning rate η.
        public var stepSize = 0.1
        public var gradientBound = 1.0
        public var search = ScaleSearch.Settings()
        public init() { search.learningRate = 1e-2 }
    }

    /// The objective's value at the current parameters for fixed S and S̃: L_S̃(θ − η·ĝ)/η.
    public static func objective(_ oracle: GradientOracle, s: (Tensor, [Int]), sTilde: (Tensor, [Int]), stepSize: Double) -> (value: Double, gradientNorm: Double) {
        let theta = oracle.parameters
        let g = oracle.gradient(s.0, s.1).gradient
        let norm = FlatVector.norm(g)
        oracle.setParameters(FlatVector.axpy(theta, g, Float(-stepSize / max(norm, 1e-12))))
        let loss = oracle.gradient(sTilde.0, sTilde.1).loss
        oracle.setParameters(theta)
        return (loss / stepSize, norm)
    }

    /// Runs the search; `batches(i, size)` yields training samples for draw i.
    @discardableResult
    public static func run(_ oracle: GradientOracle, settings: Settings, batches: (Int, Int) -> (Tensor, [Int]),
                           progress: (ScaleSearch.Progress) -> Void = { _ in }) -> ScaleSearch {
        var search = ScaleSearch(store: oracle.store, settings: settings.search)
        let half = max(settings.batch / 2, 1)
        for iteration in 0..<settings.iterations {
            let s = batches(2 * iteration, settings.batch)
            let fresh = batches(2 * iteration + 1, half)
            let sTilde = LabelledBatch.concatenate(LabelledBatch.slice(s, 0..<half), fresh)
            let theta = oracle.parameters
            let g = oracle.gradient(s.0, s.1).gradient
            let norm = FlatVector.norm(g)
            let unit = g.map { Float(Double($0) / max(norm, 1e-12)) }
            if norm > settings.gradientBound {
                search.step(objectiveGradient: oracle.hessianVectorProduct(unit, s.0, s.1), constraint: true, store: oracle.store)
                progress(.init(iteration: iteration, constraintStep: true, terms: ["grad norm": norm], scales: search.scalesByName))
                continue
            }
            let eta = settings.stepSize
            oracle.setParameters(FlatVector.axpy(theta, unit, Float(-eta)))
            let (lossAfter, v) = oracle.gradient(sTilde.0, sTilde.1)
            oracle.setParameters(theta)
            let projection = FlatVector.dot(unit, v)
            let w = zip(v, unit).map { Float((Double($0) - Double($1) * projection) / norm) }
            let hw = oracle.hessianVectorProduct(w, s.0, s.1)
            let gradient = zip(v, hw).map { Float(Double($0) / eta) - $1 }
            search.step(objectiveGradient: gradient, constraint: false, store: oracle.store)
            progress(.init(iteration: iteration, constraintStep: false,
                           terms: ["loss after step / η": lossAfter / eta, "grad norm": norm], scales: search.scalesByName))
        }
        return search
    }
}
