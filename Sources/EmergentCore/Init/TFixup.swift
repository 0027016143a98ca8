import Foundation

/// T-Fixup (Huang et al. 2020, initializers.md §12): Xavier everywhere, embeddings
/// N(0, d^(−1/2)); decoder attention V and output projections and FFN matrices × (9M)^(−1/4),
/// encoder ones × 0.67·N^(−1/4); encoder embeddings × (9N)^(−1/4), decoder × (9M)^(−1/4).
/// LayerNorm is kept (the paper removes it: an architectural change left to the model).
enum TFixup {
    static func apply(to model: some InitTarget, using generator: inout SeededRandom) throws(InitError) -> InitReport {
        guard let transformer = model as? Transformer else {
            throw .notApplicable(
                scheme: "tfixup", model: "\(type(of: model))".lowercased(),
                reason: "T-Fixup is for encoder–decoder transformers")
        }
        var report = ClosedFormInit.apply(try! InitializerSpec(parsing: "xavier"), to: model, using: &generator)
        let store = transformer.store
        let n = Double(transformer.encoder.count), m = Double(transformer.decoder.count)
        let width = Double(transformer.configuration.width)
        var entries: [String: (scale: Double, reason: String)] = [:]
        func scale(_ view: ParameterStore.View, by factor: Double) {
            store.scale(view, by: factor)
            entries[view.name] = (factor, String(format: "xavier × %.4f (t-fixup)", factor))
        }
        let encoderFactor = 0.67 * pow(n, -0.25), decoderFactor = pow(9 * m, -0.25)
        for layer in transformer.encoder {
            for dense in [
                layer.attention.value, layer.attention.output, layer.feedForward.first, layer.feedForward.second,
            ] {
                scale(dense.weight, by: encoderFactor)
            }
        }
        for layer in transformer.decoder {
            for dense in [
                layer.selfAttention.value, layer.selfAttention.output, layer.crossAttention.value,
                layer.crossAttention.output, layer.feedForward.first, layer.feedForward.second,
            ] {
                scale(dense.weight, by: decoderFactor)
            }
        }
        for (embedding, factor) in [
            (transformer.sourceEmbedding.table, pow(9 * n, -0.25)),
            (transformer.targetEmbedding.table, pow(9 * m, -0.25)),
        ] {
            let pointer = store.value(embedding)
            var local = generator.split()
            for i in 0..<embedding.count {
                pointer[i] = Float(local.normal(standardDeviation: pow(width, -0.5)) * factor)
            }
        }
        report.rescale(model, entries)
        return report
    }
}
