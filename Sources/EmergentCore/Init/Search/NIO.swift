import Foundation

/// NIO / GradCosine (Yang et al. 2022, initializers.md §2): learn per-tensor scales that
/// align the gradients of D overlapping sub-batches (B-GC), with the gradient norm bounded:
/// if mean‖g_d‖ > γ the step lowers it, else it minimises −GC − λ·Σ‖g_d‖ (the released
/// `gc_gn_sqrt`). ∂obj/∂θ = Σ_d H_d·u_d with u_d = ∂obj/∂g_d, by finite-difference HVPs.
/// Each sub-batch gets its own forward pass (ghost batch statistics), not the official shared one.
public enum NIO {
    public enum Overlap: String, Sendable, CaseIterable {
        /// The released indexing: overlap grows with the sub-batch index.
        case official
        /// r·L more samples on each side of every sub-batch.
        case symmetric
    }

    public struct Settings: Sendable {
        public var iterations = 100
        public var batch = 64
        public var subBatches = 4
        public var overlapRatio = 0.2
        public var overlap = Overlap.official
        public var gradientBound = 10.0
        public var normWeight = 1.0
        public var search = ScaleSearch.Settings()
        public init() {}
    }

    /// Sample ranges of the D sub-batches of a batch of B (initializers.md §2).
    public static func subBatchRanges(batch b: Int, count d: Int, ratio r: Double, overlap: Overlap) -> [Range<Int>] {
        let l = b / d
        return (0..<d).map { index in
            switch overlap {
            case .official:
                if index == 0 { return 0..<min(Int((1 + r) * Double(l)), b) }
                let start = Int((1 - r) * Double(l) * Double(index))
                if index == d - 1 { return start..<b }
                return start..<min(Int((1 + r) * Double(l) * Double(index + 1)), b)
            case .symmetric:
                let extra = Int(r * Double(l))
                let end = index == d - 1 ? b : min((index + 1) * l + extra, b)  // the last one takes the remainder
                return max(index * l - extra, 0)..<end
            }
        }
    }

    /// B-GC (mean pairwise cosine of the sub-batch gradients) and the norms ‖g_d‖.
    public static func gradCosine(_ gradients: [[Float]]) -> (cosine: Double, norms: [Double]) {
        let norms = gradients.map(FlatVector.norm)
        var total = 0.0, pairs = 0
        for d in gradients.indices {
            for e in gradients.indices where e != d {
                total += FlatVector.dot(gradients[d], gradients[e]) / max(norms[d] * norms[e], 1e-30)
                pairs += 1
            }
        }
        return (pairs > 0 ? total / Double(pairs) : 1, norms)
    }

    @discardableResult
    public static func run<Batch>(
        _ oracle: GradientOracle<Batch>, settings: Settings, batches: (Int, Int) -> Batch,
        progress: (ScaleSearch.Progress) -> Void = { _ in }
    ) -> ScaleSearch {
        var search = ScaleSearch(store: oracle.store, settings: settings.search)
        let ranges = subBatchRanges(
            batch: settings.batch, count: settings.subBatches, ratio: settings.overlapRatio, overlap: settings.overlap)
        let d = Double(ranges.count)
        for iteration in 0..<settings.iterations {
            let batch = batches(iteration, settings.batch)
            let subBatches = ranges.map { batch.samples($0) }
            let gradients = subBatches.map { oracle.gradient($0).gradient }
            let (cosine, norms) = gradCosine(gradients)
            let meanNorm = norms.reduce(0, +) / d
            let units = zip(gradients, norms).map { g, n in g.map { Float(Double($0) / max(n, 1e-30)) } }
            let constraint = meanNorm > settings.gradientBound
            var total = [Float](repeating: 0, count: oracle.store.count)
            for (index, sub) in subBatches.enumerated() {
                var u: [Float]
                if constraint {
                    u = units[index].map { $0 / Float(d) }  // ∂ mean‖g‖ / ∂g_d
                } else {
                    // −∂GC/∂g_d − λ·ĝ_d with ∂GC/∂g_d = 2/(D(D−1))·Σ_{e≠d} (ĝ_e − ĝ_d⟨ĝ_d,ĝ_e⟩)/‖g_d‖.
                    u = units[index].map { -Float(settings.normWeight) * $0 }
                    let factor = 2 / (d * (d - 1)) / max(norms[index], 1e-30)
                    for e in units.indices where e != index {
                        let dot = Float(FlatVector.dot(units[index], units[e]))
                        for i in u.indices { u[i] -= Float(factor) * (units[e][i] - units[index][i] * dot) }
                    }
                }
                let hu = oracle.hessianVectorProduct(u, sub)
                for i in total.indices { total[i] += hu[i] }
            }
            search.step(objectiveGradient: total, constraint: constraint, store: oracle.store)
            progress(
                .init(
                    iteration: iteration, constraintStep: constraint,
                    terms: [
                        "gradcosine": cosine, "mean grad norm": meanNorm,
                        "objective": constraint ? meanNorm : -cosine - settings.normWeight * norms.reduce(0, +),
                    ],
                    scales: search.scalesByName))
        }
        return search
    }
}
