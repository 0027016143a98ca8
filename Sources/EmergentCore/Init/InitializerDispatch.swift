import Foundation
import Kernels

/// Applying a parsed spec: each scheme's own implementation, with the data it needs.
extension InitializerSpec {
    /// Training samples for learned schemes: `draw(i, size)` returns the i-th batch of `size`
    /// (inputs and labels) from the run's training data, the same for every run of an experiment.
    public typealias TrainingBatches = (Int, Int) -> (Tensor, [Int])
    /// The transformer's: the i-th batch of `size` sentence pairs.
    public typealias TranslationBatches = (Int, Int) -> TranslationBatch

    /// Initializes every parameter of `model`. `probe` runs one forward pass over the
    /// experiment's probe batch (in probe mode); data-driven schemes need it, learned ones
    /// also `batches`; `progress` sees every search step.
    @discardableResult
    public func apply(
        to model: some InitTarget, using generator: inout SeededRandom,
        probe: (() -> Void)? = nil, batches: TrainingBatches? = nil, translationBatches: TranslationBatches? = nil,
        progress: (ScaleSearch.Progress) -> Void = { _ in }
    ) throws(InitError) -> InitReport {
        // CPU time, so a search's cost does not depend on what else the machine runs.
        let start = ThreadCPUClock.seconds()
        var report = try applyScheme(
            to: model, using: &generator, probe: probe, batches: batches,
            translationBatches: translationBatches, progress: progress)
        report.seconds = ThreadCPUClock.seconds() - start
        return report
    }

    private func applyScheme(
        to model: some InitTarget, using generator: inout SeededRandom, probe: (() -> Void)?,
        batches: TrainingBatches?, translationBatches: TranslationBatches?,
        progress: (ScaleSearch.Progress) -> Void
    ) throws(InitError) -> InitReport {
        switch scheme {
        case .updater: return try WeightUpdaterInit.apply(self, to: model, using: &generator)
        case .gradinit, .nio, .metainit:
            return try LearnedInit.apply(
                self, to: model, using: &generator, batches: batches, translationBatches: translationBatches,
                progress: progress)
        case .emergence: return try EmergencePromoting.apply(self, to: model, using: &generator)
        case .lsuv:
            guard let probe else { throw .needsProbe(scheme: scheme.rawValue) }
            return LSUV.apply(self, to: model, using: &generator, probe: probe)
        case .fixup: return try Fixup.apply(to: model, using: &generator)
        case .weights:
            do { return try WeightsInit.apply(file: try SafetensorsFile.read(path: value("file")), path: value("file"), to: model) }
            catch { throw .weights(error.description) }
        case .tfixup: return try TFixup.apply(to: model, using: &generator)
        case .fractional where value("distribution") == "stable":
            guard let probe else { throw .needsProbe(scheme: scheme.rawValue) }
            return try StableFractional.apply(self, to: model, using: &generator, probe: probe)
        case .kaiming, .xavier, .framework, .orthogonal, .zero, .fractional:
            return ClosedFormInit.apply(self, to: model, using: &generator)
        }
    }
}
