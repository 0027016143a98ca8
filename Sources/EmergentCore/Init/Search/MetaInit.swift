import Foundation

/// MetaInit (Dauphin and Schoenholz 2019, initializers.md §10): rescale each weight tensor
/// (ndim ≥ 2) to lower the gradient quotient GQ = mean |(g − Hg)/(g + ε·sign g) − 1|, a
/// measure of how far the model is from locally linear. As the reference code, only the
/// sign of ∂GQ/∂(log scale) is used, here from differences of GQ in the tensors' scales
/// (§1.3): central differences tensor by tensor (2 GQ per tensor), or SPSA, all tensors
/// perturbed at once by random signs (2 GQ per iteration, whatever the number of tensors),
/// with momentum 0.9 on the norm and the clamp the spec asks for.
public enum MetaInit {
    public enum Derivative: String, Sendable, CaseIterable {
        case central, spsa
    }

    public struct Settings: Sendable {
        public var iterations = 100
        public var batch = 32
        public var learningRate = 0.1
        public var momentum = 0.9
        /// Relative scale change of the central difference.
        public var probeStep = 0.01
        /// Smallest norm a tensor may be rescaled to, relative to its start (the clamp).
        public var minimumRelativeNorm = 0.01
        public var derivative = Derivative.central
        /// Seeds SPSA's random signs.
        public var seed: UInt64 = 0
        public init() {}
    }

    /// GQ at the current parameters on one batch.
    public static func gradientQuotient<Batch>(_ oracle: GradientOracle<Batch>, _ batch: Batch) -> Double {
        let g = oracle.gradient(batch).gradient
        let hg = oracle.hessianVectorProduct(g, batch)
        var total = 0.0
        for i in g.indices {
            let denominator = Double(g[i]) + 1e-5 * (g[i] >= 0 ? 1 : -1)
            total += abs((Double(g[i]) - Double(hg[i])) / denominator - 1)
        }
        return total / Double(max(g.count, 1))
    }

    /// The tensors MetaInit rescales: weights with ndim ≥ 2, as the reference.
    static func searchedTensors(_ store: ParameterStore) -> [ParameterStore.View] {
        store.views.filter { $0.shape.count >= 2 && $0.role == .weight }
    }

    /// Runs the search on `batches` (the reference uses Gaussian inputs and random labels;
    /// random tokens for the transformer).
    @discardableResult
    public static func run<Batch>(
        _ oracle: GradientOracle<Batch>, settings: Settings, batches: (Int, Int) -> Batch,
        progress: (ScaleSearch.Progress) -> Void = { _ in }
    ) -> [String: Double] {
        let store = oracle.store
        let weights = searchedTensors(store)
        var momentum = [Double](repeating: 0, count: weights.count)
        func norm(_ view: ParameterStore.View) -> Double {
            (0..<view.count).reduce(0.0) { $0 + Double(store.value(view)[$1]) * Double(store.value(view)[$1]) }
                .squareRoot()
        }
        let startNorms = weights.map(norm)
        var signs = SeededRandom(seed: settings.seed)
        for iteration in 0..<settings.iterations {
            let batch = batches(iteration, settings.batch)
            let quotient = gradientQuotient(oracle, batch)
            let norms = weights.map(norm)
            // The sign of ∂GQ/∂scale_k for every tensor, from one of the two estimators.
            var slopeSigns = [Double](repeating: 0, count: weights.count)
            switch settings.derivative {
            case .central:
                for (k, view) in weights.enumerated() where norms[k] > 0 {
                    store.scale(view, by: 1 + settings.probeStep)
                    let up = gradientQuotient(oracle, batch)
                    store.scale(view, by: (1 - settings.probeStep) / (1 + settings.probeStep))
                    let down = gradientQuotient(oracle, batch)
                    store.scale(view, by: 1 / (1 - settings.probeStep))
                    slopeSigns[k] = up > down ? 1 : (up < down ? -1 : 0)
                }
            case .spsa:
                let directions = weights.map { _ in signs.next() & 1 == 0 ? 1.0 : -1.0 }
                for (k, view) in weights.enumerated() { store.scale(view, by: 1 + settings.probeStep * directions[k]) }
                let up = gradientQuotient(oracle, batch)
                for (k, view) in weights.enumerated() {
                    store.scale(
                        view, by: (1 - settings.probeStep * directions[k]) / (1 + settings.probeStep * directions[k]))
                }
                let down = gradientQuotient(oracle, batch)
                for (k, view) in weights.enumerated() {
                    store.scale(view, by: 1 / (1 - settings.probeStep * directions[k]))
                }
                let difference: Double = up > down ? 1 : (up < down ? -1 : 0)
                slopeSigns = directions.map { difference * $0 }
            }
            for (k, view) in weights.enumerated() where norms[k] > 0 {
                momentum[k] = settings.momentum * momentum[k] - settings.learningRate * slopeSigns[k]
                let target = max(norms[k] + momentum[k], settings.minimumRelativeNorm * startNorms[k])
                store.scale(view, by: target / norms[k])
            }
            progress(
                .init(
                    iteration: iteration, constraintStep: false, terms: ["gradient quotient": quotient],
                    scales: Dictionary(
                        uniqueKeysWithValues: zip(
                            weights.map(\.name), zip(weights, startNorms).map { norm($0) / max($1, 1e-30) }))))
        }
        return Dictionary(
            uniqueKeysWithValues: zip(weights.map(\.name), zip(weights, startNorms).map { norm($0) / max($1, 1e-30) }))
    }
}
