import Foundation

/// The emergence-promoting initialization (emergence.md §2, §6.2): a base scheme, then the
/// weights of depth index idx multiplied by α^idx with symmetric indices (odd K: −N…N, even
/// K: −N…−1, 1…N); biases, norm parameters, embeddings and (for transformers) the head stay.
enum EmergencePromoting {
    struct Factor {
        let view: ParameterStore.View
        let index: Int
        let scale: Double
        let group: String
    }

    /// Each scaled weight's depth index and factor α^idx, and the α used.
    static func factors(
        _ spec: InitializerSpec, for model: some InitTarget
    ) throws(InitError) -> (alpha: Double, byBlock: Bool, [Factor]) {
        let byBlock = spec.value("indexing") == "block" || (spec.value("indexing") == "auto" && model is Transformer)
        if spec.value("indexing") == "block" && !(model is Transformer) {
            throw .notApplicable(
                scheme: "emergence", model: "\(type(of: model))",
                reason: "block indexing needs transformer blocks; use indexing=layer or auto")
        }
        let groups = byBlock ? model.depthGroups : model.weightsInOrder.map { ($0.name, [$0.weight]) }
        let indices = InitializerSpec.symmetricIndices(count: groups.count)
        let largest = Double(indices.map { abs($0) }.max() ?? 0)
        let beta = spec.number("beta")
        let alpha = beta > 0 && largest > 0 ? pow(beta, 1 / largest) : spec.number("alpha")
        var factors: [Factor] = []
        for ((name, weights), index) in zip(groups, indices) {
            for view in weights {
                factors.append(Factor(view: view, index: index, scale: pow(alpha, Double(index)), group: name))
            }
        }
        return (alpha, byBlock, factors)
    }

    static func apply(
        _ spec: InitializerSpec, to model: some InitTarget, using generator: inout SeededRandom
    ) throws(InitError) -> InitReport {
        let base = try! InitializerSpec(parsing: spec.value("base"))
        var report = ClosedFormInit.apply(base, to: model, using: &generator)
        let (alpha, byBlock, factors) = try factors(spec, for: model)
        let largest = Double(factors.map { abs($0.index) }.max() ?? 0)
        let beta = spec.number("beta")
        var scaled: [String: (scale: Double, reason: String)] = [:]
        for factor in factors {
            model.store.scale(factor.view, by: factor.scale)
            scaled[factor.view.name] = (
                factor.scale,
                String(
                    format: "%@ × α^%d = %.4f (α %.4f%@, %@ %@)", base.description, factor.index,
                    factor.scale, alpha, beta > 0 ? String(format: " = β^(1/%g)", largest) : "",
                    byBlock ? "block" : "layer", factor.group)
            )
        }
        report.rescale(model, scaled)
        return report
    }
}

extension InitializerSpec {
    /// The equivalent-learning-rate control of an emergence-promoting spec (emergence.md
    /// §2.4): per weight tensor, the multiplier 1/c² for SGD (exact for homogeneous networks)
    /// or 1/c for Adam, where c = α^idx is the factor the spec would apply.
    public func controlMultipliers(for model: some InitTarget, adaptive: Bool) throws(InitError) -> [String: Float] {
        let (_, _, factors) = try EmergencePromoting.factors(self, for: model)
        return Dictionary(
            uniqueKeysWithValues: factors.map { ($0.view.name, Float(1 / pow($0.scale, adaptive ? 1 : 2))) })
    }
}
