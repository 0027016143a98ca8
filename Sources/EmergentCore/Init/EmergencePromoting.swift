import Foundation

/// The emergence-promoting initialization (emergence.md §2, §6.2): a base scheme, then the
/// weights of depth index idx multiplied by α^idx with symmetric indices (odd K: −N…N, even
/// K: −N…−1, 1…N); biases, norm parameters, embeddings and (for transformers) the head stay.
enum EmergencePromoting {
    static func apply(_ spec: InitializerSpec, to model: some InitTarget, using generator: inout SeededRandom) throws(InitError) -> InitReport {
        let base = try! InitializerSpec(parsing: spec.value("base"))
        var report = ClosedFormInit.apply(base, to: model, using: &generator)
        let byBlock = spec.value("indexing") == "block" || (spec.value("indexing") == "auto" && model is Transformer)
        if spec.value("indexing") == "block" && !(model is Transformer) {
            throw .notApplicable(scheme: "emergence", model: "\(type(of: model))",
                                 reason: "block indexing needs transformer blocks; use indexing=layer or auto")
        }
        let groups = byBlock ? model.depthGroups : model.weightsInOrder.map { ($0.name, [$0.weight]) }
        let indices = InitializerSpec.symmetricIndices(count: groups.count)
        let largest = Double(indices.map { abs($0) }.max() ?? 0)
        let beta = spec.number("beta")
        let alpha = beta > 0 && largest > 0 ? pow(beta, 1 / largest) : spec.number("alpha")
        var scaled: [String: (scale: Double, reason: String)] = [:]
        for ((name, weights), index) in zip(groups, indices) {
            let scale = pow(alpha, Double(index))
            for view in weights {
                model.store.scale(view, by: scale)
                scaled[view.name] = (scale, String(format: "%@ × α^%d = %.4f (α %.4f%@, %@ %@)", base.description, index, scale, alpha,
                                                   beta > 0 ? String(format: " = β^(1/%g)", largest) : "", byBlock ? "block" : "layer", name))
            }
        }
        report.rescale(model, scaled)
        return report
    }
}
