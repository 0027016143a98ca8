import Foundation

/// Fixup (Zhang et al. 2019, initializers.md §11) for residual MLPs and CNNs: the classifier
/// and the last layer of every residual branch start at zero, the other layers get He
/// fan-out normal. Our residual branches hold one layer (m = 1), so the L^(−1/(2m−2))
/// factor has no layer to act on. The scalar biases and multipliers of the paper are
/// architectural and not added.
enum Fixup {
    static func apply(to model: some InitTarget, using generator: inout SeededRandom) throws(InitError) -> InitReport {
        guard let classifier = model as? any ClassifierModel else {
            throw .notApplicable(scheme: "fixup", model: "transformer", reason: "use tfixup for transformers")
        }
        let name = "\(type(of: model))".lowercased()
        let branches = classifier.weightLayers.filter { $0.signal is Residual }
        guard !branches.isEmpty else {
            throw .notApplicable(
                scheme: "fixup", model: name,
                reason:
                    "it has no residual branches; use --residual (MLP: equal hidden widths; CNN: equal channels in a stage)"
            )
        }
        var report = ClosedFormInit.apply(
            try! InitializerSpec(parsing: "kaiming:mode=fan_out"), to: model, using: &generator)
        let classifierLayer = classifier.weightLayers.last!
        var entries: [String: (scale: Double, reason: String)] = [:]
        for layer in branches + [classifierLayer] {
            classifier.store.value(layer.weight).update(repeating: 0, count: layer.weight.count)
            let why = layer.name == classifierLayer.name ? "classifier" : "last layer of a residual branch"
            entries[layer.weight.name] = (0, "fixup: zero (\(why))")
        }
        report.rescale(model, entries)
        return report
    }
}
