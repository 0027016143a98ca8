import Foundation

/// The weight updater as a catalogue scheme: at initialization only the base scheme (times
/// `base_scale`); the learning happens during training, through the updater this makes.
enum WeightUpdaterInit {
    static func apply(
        _ spec: InitializerSpec, to model: some InitTarget, using generator: inout SeededRandom
    ) throws(InitError) -> InitReport {
        guard model is any ClassifierModel else {
            throw .notApplicable(
                scheme: "updater", model: "transformer", reason: "the updater reads classifier weight layers for now")
        }
        let base = try! InitializerSpec(parsing: spec.value("base"))
        var report = ClosedFormInit.apply(base, to: model, using: &generator)
        let scale = spec.number("base_scale")
        guard scale != 1 else { return report }
        var scaled: [String: (scale: Double, reason: String)] = [:]
        for (_, view) in model.weightsInOrder {
            model.store.scale(view, by: scale)
            scaled[view.name] = (
                scale, String(format: "%@ × %g (base_scale), before the updater's warm-up", base.description, scale)
            )
        }
        report.rescale(model, scaled)
        return report
    }
}

extension InitializerSpec {
    /// The updater that trains alongside a run initialized with this spec; nil for every
    /// scheme but `updater`. Its generator is split from the run's, after initialization.
    /// `probe` runs a forward pass over the experiment's probe batch (the bonus needs it).
    public func makeWeightUpdater(
        for model: some ClassifierModel, probe: (() -> Void)?,
        using generator: inout SeededRandom
    ) throws(InitError) -> EmergentWeightUpdater? {
        guard scheme == .updater else { return nil }
        var settings = EmergentWeightUpdater.Settings()
        settings.warmupSteps = Int(number("warmup"))
        settings.learningRate = number("lr")
        settings.hiddenUnits = Int(number("hidden"))
        settings.bound = number("bound")
        settings.rate = number("rate")
        settings.emergenceBonus = number("bonus")
        guard settings.emergenceBonus == 0 || probe != nil else { throw .needsProbe(scheme: scheme.rawValue) }
        var local = generator.split()
        return EmergentWeightUpdater(model: model, settings: settings, probe: probe, using: &local)
    }
}
