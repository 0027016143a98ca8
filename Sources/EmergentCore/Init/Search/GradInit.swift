import Foundation

/// GradInit (Zhu et al. 2021, initializers.md §3): learn per-tensor scales so that one step
/// θ' = θ − η·A[g] of the target optimizer on batch S gives the lowest loss on S̃ (half of S
/// and a fresh half), with the constraint ‖g‖_p ≤ γ. Derivatives come from finite-difference
/// Hessian-vector products (§1.3), v = ∇L_S̃(θ'):
/// - SGD, normalised (A[g] = g/‖g‖₂): constraint H_S·ĝ; objective v/η − H_S·(v − ĝ⟨ĝ,v⟩)/‖g‖.
/// - SGD, plain (A[g] = g): constraint H_S·ĝ; objective v/η − H_S·v.
/// - Adam (A[g] = sign g, Adam's first step; p = 1): constraint H_S·sign(g); objective v/η,
///   since sign has zero derivative.
public enum GradInit {
    public enum Target: String, Sendable, CaseIterable {
        case sgd, adam
    }

    public struct Settings: Sendable {
        public var iterations = 100
        public var batch = 64
        public var target = Target.sgd
        /// SGD target: step along g/‖g‖ (the CIFAR setting) rather than g.
        public var normalized = true
        /// The target optimizer's learning rate η.
        public var stepSize = 0.1
        public var gradientBound = 1.0
        public var search = ScaleSearch.Settings()
        public init() { search.learningRate = 1e-2 }
    }

    /// The target's step direction A[g] and the constrained norm ‖g‖_p.
    static func step(_ g: [Float], settings: Settings) -> (direction: [Float], norm: Double) {
        switch settings.target {
        case .adam:
            return (g.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, g.reduce(0.0) { $0 + Double(abs($1)) })
        case .sgd:
            let norm = FlatVector.norm(g)
            return (settings.normalized ? g.map { Float(Double($0) / max(norm, 1e-12)) } : g, norm)
        }
    }

    /// The objective's value at the current parameters for fixed S and S̃: L_S̃(θ − η·A[g])/η.
    public static func objective<Batch>(
        _ oracle: GradientOracle<Batch>, s: Batch, sTilde: Batch,
        settings: Settings
    ) -> (value: Double, gradientNorm: Double) {
        let theta = oracle.parameters
        let (direction, norm) = step(oracle.gradient(s).gradient, settings: settings)
        oracle.setParameters(FlatVector.axpy(theta, direction, Float(-settings.stepSize)))
        let loss = oracle.gradient(sTilde).loss
        oracle.setParameters(theta)
        return (loss / settings.stepSize, norm)
    }

    /// ∂(L_S̃(θ − η·A[g])/η)/∂θ at the current parameters, given g = ∇L_S(θ), and L_S̃(θ').
    static func objectiveGradient<Batch>(
        _ oracle: GradientOracle<Batch>, s: Batch, sTilde: Batch, g: [Float],
        settings: Settings
    ) -> (lossAfter: Double, gradient: [Float]) {
        let theta = oracle.parameters
        let (direction, norm) = step(g, settings: settings)
        let eta = settings.stepSize
        oracle.setParameters(FlatVector.axpy(theta, direction, Float(-eta)))
        let (lossAfter, v) = oracle.gradient(sTilde)
        oracle.setParameters(theta)
        var gradient = v.map { Float(Double($0) / eta) }
        guard settings.target == .sgd else { return (lossAfter, gradient) }
        // Through the step's dependence on θ: −H_S·(∂A[g]/∂g)ᵀ·v.
        let w: [Float]
        if settings.normalized {
            let projection = FlatVector.dot(direction, v)
            w = zip(v, direction).map { Float((Double($0) - Double($1) * projection) / norm) }
        } else {
            w = v
        }
        let hw = oracle.hessianVectorProduct(w, s)
        gradient = zip(gradient, hw).map { $0 - $1 }
        return (lossAfter, gradient)
    }

    /// Runs the search; `batches(i, size)` yields training samples for draw i.
    @discardableResult
    public static func run<Batch>(
        _ oracle: GradientOracle<Batch>, settings: Settings, batches: (Int, Int) -> Batch,
        progress: (ScaleSearch.Progress) -> Void = { _ in }
    ) -> ScaleSearch {
        var search = ScaleSearch(store: oracle.store, settings: settings.search)
        let half = max(settings.batch / 2, 1)
        for iteration in 0..<settings.iterations {
            let s = batches(2 * iteration, settings.batch)
            let fresh = batches(2 * iteration + 1, half)
            let sTilde = s.samples(0..<half).followed(by: fresh)
            let g = oracle.gradient(s).gradient
            let (direction, norm) = step(g, settings: settings)
            let normName = settings.target == .adam ? "grad L1 norm" : "grad norm"
            if norm > settings.gradientBound {
                // ∂‖g‖₂/∂θ = H·ĝ; ∂‖g‖₁/∂θ = H·sign(g).
                let unit = settings.target == .adam ? direction : g.map { Float(Double($0) / max(norm, 1e-12)) }
                search.step(
                    objectiveGradient: oracle.hessianVectorProduct(unit, s), constraint: true, store: oracle.store)
                progress(
                    .init(
                        iteration: iteration, constraintStep: true, terms: [normName: norm], scales: search.scalesByName
                    ))
                continue
            }
            let (lossAfter, gradient) = objectiveGradient(oracle, s: s, sTilde: sTilde, g: g, settings: settings)
            search.step(objectiveGradient: gradient, constraint: false, store: oracle.store)
            progress(
                .init(
                    iteration: iteration, constraintStep: false,
                    terms: ["loss after step / η": lossAfter / settings.stepSize, normName: norm],
                    scales: search.scalesByName))
        }
        return search
    }
}
