import Foundation

/// GradInit, NIO and MetaInit as catalogue schemes: the base scheme, then the scale search on
/// the training data (MetaInit: data-free random batches), reported per layer with the
/// learned scale and the search's cost. Classifiers search on labelled images, the
/// transformer on sentence pairs.
enum LearnedInit {
    static func apply(
        _ spec: InitializerSpec, to model: some InitTarget, using generator: inout SeededRandom,
        batches: InitializerSpec.TrainingBatches?, translationBatches: InitializerSpec.TranslationBatches?,
        progress: (ScaleSearch.Progress) -> Void
    ) throws(InitError) -> InitReport {
        var report = ClosedFormInit.apply(
            try! InitializerSpec(parsing: spec.value("base")), to: model, using: &generator)
        var local = generator.split()
        let seed = local.next()
        let outcome: (scales: [String: Double], evaluations: Int)
        if let transformer = model as? Transformer {
            let vocabulary = transformer.configuration.vocabulary,
                length = min(transformer.configuration.maximumLength, 16)
            outcome = try search(
                spec, GradientOracle(transformer: transformer), batches: translationBatches, transformer: true,
                seed: seed,
                randomBatch: { size in
                    TranslationBatch.random(count: size, length: length, vocabulary: vocabulary, using: &local)
                },
                progress: progress)
        } else if let classifier = model as? any ClassifierModel {
            let inputShape = Array(classifier.inputShape), classes = classifier.weightLayers.last!.weight.shape[0]
            outcome = try search(
                spec, GradientOracle(model: classifier),
                batches: batches.map { draw in { LabelledBatch(draw($0, $1)) } },
                transformer: false, seed: seed,
                randomBatch: { size in
                    LabelledBatch(
                        Tensor.normal([size] + inputShape, using: &local),
                        (0..<size).map { _ in Int(local.next() % UInt64(classes)) })
                }, progress: progress)
        } else {
            throw .notApplicable(
                scheme: spec.scheme.rawValue, model: "\(type(of: model))",
                reason: "it is neither a classifier nor the transformer")
        }
        report.rescale(
            model,
            outcome.scales.mapValues { scale in
                (scale, String(format: "%@ × %.4f learned by %@", spec.value("base"), scale, spec.scheme.rawValue))
            })
        report.gradientEvaluations = outcome.evaluations
        return report
    }

    /// One scheme's search with `oracle`; `randomBatch(size)` draws MetaInit's data-free batches.
    static func search<Batch>(
        _ spec: InitializerSpec, _ oracle: GradientOracle<Batch>, batches: ((Int, Int) -> Batch)?, transformer: Bool,
        seed: UInt64, randomBatch: (Int) -> Batch, progress: (ScaleSearch.Progress) -> Void
    )
        throws(InitError) -> (scales: [String: Double], evaluations: Int)
    {
        let scales: [String: Double]
        if spec.scheme == .metainit {
            var settings = MetaInit.Settings()
            settings.iterations = Int(spec.number("iterations"))
            settings.batch = Int(spec.number("batch"))
            settings.learningRate = spec.number("lr")
            settings.momentum = spec.number("momentum")
            let matrices = MetaInit.searchedTensors(oracle.store).count
            settings.derivative =
                spec.value("derivative") == "auto"
                ? (matrices <= 10 ? .central : .spsa)
                : MetaInit.Derivative(rawValue: spec.value("derivative"))!
            settings.seed = seed
            scales = MetaInit.run(
                oracle, settings: settings, batches: { _, size in randomBatch(size) }, progress: progress)
        } else {
            guard let batches else { throw .needsData(scheme: spec.scheme.rawValue) }
            var searchSettings = ScaleSearch.Settings()
            searchSettings.learningRate = spec.number("lr")
            searchSettings.minimumWeightScale = spec.number("min_scale")
            // The official transformer run caps LayerNorm gains at 100 (initializers.md §1.2).
            if transformer { searchSettings.maximumNormGainScale = 100 }
            if spec.scheme == .gradinit {
                var settings = GradInit.Settings()
                settings.iterations = Int(spec.number("iterations"))
                settings.batch = Int(spec.number("batch"))
                settings.target = GradInit.Target(rawValue: spec.value("target"))!
                settings.normalized = spec.value("normalize") == "true"
                let adam = settings.target == .adam
                settings.stepSize = spec.value("eta") == "auto" ? (adam ? 1e-3 : 0.1) : spec.number("eta")
                settings.gradientBound = spec.value("gamma") == "auto" ? (adam ? 1000 : 1) : spec.number("gamma")
                settings.search = searchSettings
                scales = GradInit.run(oracle, settings: settings, batches: batches, progress: progress).scalesByName
            } else {
                var settings = NIO.Settings()
                settings.iterations = Int(spec.number("iterations"))
                settings.batch = Int(spec.number("batch"))
                settings.subBatches = Int(spec.number("subbatches"))
                settings.overlapRatio = spec.number("overlap")
                settings.overlap = NIO.Overlap(rawValue: spec.value("indexing"))!
                settings.gradientBound = spec.number("gamma")
                settings.normWeight = spec.number("lambda")
                settings.search = searchSettings
                scales = NIO.run(oracle, settings: settings, batches: batches, progress: progress).scalesByName
            }
        }
        return (scales, oracle.gradientEvaluations)
    }
}
