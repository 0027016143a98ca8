import Foundation

/// GradInit and NIO as catalogue schemes: the base scheme, then the scale search on the
/// training data, reported per layer with the learned scale and the search's cost.
enum LearnedInit {
    static func apply(_ spec: InitializerSpec, to model: some InitTarget, using generator: inout SeededRandom,
                      batches: InitializerSpec.TrainingBatches?, progress: (ScaleSearch.Progress) -> Void) throws(InitError) -> InitReport {
        guard let classifier = model as? any ClassifierModel else {
            throw .notApplicable(scheme: spec.scheme.rawValue, model: "transformer", reason: "the learned schemes search classifiers for now")
        }
        var report = ClosedFormInit.apply(try! InitializerSpec(parsing: spec.value("base")), to: model, using: &generator)
        if spec.scheme == .metainit {
            return metaInit(spec, classifier: classifier, model: model, report: report, using: &generator, progress: progress)
        }
        guard let batches else { throw .needsData(scheme: spec.scheme.rawValue) }
        let oracle = GradientOracle(model: classifier)
        let start = ContinuousClock.now
        let search: ScaleSearch
        var searchSettings = ScaleSearch.Settings()
        searchSettings.learningRate = spec.number("lr")
        searchSettings.minimumWeightScale = spec.number("min_scale")
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
            search = GradInit.run(oracle, settings: settings, batches: batches, progress: progress)
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
            search = NIO.run(oracle, settings: settings, batches: batches, progress: progress)
        }
        report.rescale(model, learned(search.scalesByName, spec))
        report.gradientEvaluations = oracle.gradientEvaluations
        report.seconds = (ContinuousClock.now - start).seconds
        return report
    }

    /// MetaInit runs data-free: Gaussian inputs of the model's input shape and random labels.
    static func metaInit(_ spec: InitializerSpec, classifier: any ClassifierModel, model: some InitTarget, report: InitReport,
                         using generator: inout SeededRandom, progress: (ScaleSearch.Progress) -> Void) -> InitReport {
        var report = report
        let oracle = GradientOracle(model: classifier)
        let inputShape = Array(classifier.inputShape)
        let classes = classifier.weightLayers.last!.weight.shape[0]
        var local = generator.split()
        var settings = MetaInit.Settings()
        settings.iterations = Int(spec.number("iterations"))
        settings.batch = Int(spec.number("batch"))
        settings.learningRate = spec.number("lr")
        settings.momentum = spec.number("momentum")
        let start = ContinuousClock.now
        let scales = MetaInit.run(oracle, settings: settings, batches: { _, size in
            (Tensor.normal([size] + inputShape, using: &local), (0..<size).map { _ in Int(local.next() % UInt64(classes)) })
        }, progress: progress)
        report.rescale(model, learned(scales, spec))
        report.gradientEvaluations = oracle.gradientEvaluations
        report.seconds = (ContinuousClock.now - start).seconds
        return report
    }

    /// Report entries for learned scales.
    static func learned(_ scales: [String: Double], _ spec: InitializerSpec) -> [String: (scale: Double, reason: String)] {
        scales.mapValues { scale in (scale, String(format: "%@ × %.4f learned by %@", spec.value("base"), scale, spec.scheme.rawValue)) }
    }
}
