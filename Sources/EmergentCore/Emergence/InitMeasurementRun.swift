/// `emergent measure`'s work: a model built from its configuration, every initializer
/// applied with the same seed and measured on the same probe batch of a dataset (image sets
/// for the MLP and CNN, a translation set for the transformer, with its tokenizer).
public struct InitMeasurementRun: Sendable {
    public var model: ModelConfig
    /// Nil: fashion-mnist-small, or de-en-numbers for the transformer.
    public var dataset: String?
    public var dataDirectory: String?
    public var probeSize: Int
    public var seed: UInt64
    public var settings: EmergenceSettings
    /// For the first-update ratio column.
    public var learningRate: Double
    /// How the model was named (`--model mlp`), for the memory check's message.
    public var modelName: String

    public init(
        model: ModelConfig, dataset: String?, dataDirectory: String?, probeSize: Int, seed: UInt64,
        settings: EmergenceSettings, learningRate: Double, modelName: String
    ) {
        self.model = model
        self.dataset = dataset
        self.dataDirectory = dataDirectory
        self.probeSize = probeSize
        self.seed = seed
        self.settings = settings
        self.learningRate = learningRate
        self.modelName = modelName
    }

    /// One result per initializer, in order. `initialized` sees each model as built (a
    /// transformer's length set by the data), its parameters and the initializer's report as
    /// soon as it is initialized (before the measurement's passes).
    public func measure(
        _ specs: [InitializerSpec], initialized: @escaping (ModelConfig, ParameterStore, InitReport) -> Void = { _, _, _ in }
    ) throws(UserError) -> [InitMeasurement.Result] {
        try measure(starts: specs.map(InitStart.initializer), initialized: initialized)
    }

    /// The dataset the probe comes from: the one given, or the model's default.
    public var datasetName: String { dataset ?? (model.isTransformer ? "de-en-numbers" : "fashion-mnist-small") }

    /// `emergent initialize`: the model initialized as `measure` initializes it, its table, and
    /// its parameters as a weights file naming the architecture as built and the probe's data.
    public func initialize(_ spec: InitializerSpec) throws(UserError) -> (result: InitMeasurement.Result, file: SafetensorsFile) {
        final class Written: @unchecked Sendable { var file: SafetensorsFile? }
        let written = Written()
        let (seed, dataset) = (seed, datasetName)
        let results = try measure([spec]) { architecture, store, report in
            written.file = InitializedWeights.file(
                store: store, architecture: architecture, initializer: spec, seed: seed, dataset: dataset, report: report)
        }
        guard let result = results.first, let file = written.file else {
            throw UserError("\(spec.description) initialized no model")
        }
        return (result, file)
    }

    /// The table of a weights file's model (`measure --weights`): the model its metadata names,
    /// its parameters as loaded, measured on this run's probe.
    public func measure(weights file: SafetensorsFile, path: String) throws(UserError) -> InitMeasurement.Result {
        var run = self
        do { run.model = try WeightsLoader.architecture(of: file, path: path) } catch { throw UserError(error.description) }
        return try run.measure(starts: [.weights(file, path: path)])[0]
    }

    private func measure(
        starts: [InitStart], initialized: @escaping (ModelConfig, ParameterStore, InitReport) -> Void = { _, _, _ in }
    ) throws(UserError) -> [InitMeasurement.Result] {
        do {
            return model.isTransformer
                ? try measureTransformer(starts, initialized) : try measureClassifier(starts, initialized)
        } catch let error as UserError {
            throw error
        } catch {
            throw UserError("\(error)")
        }
    }

    /// The memory and image-size checks of experiment files.
    private func check(_ config: ModelConfig, inputShape: [Int], classes: Int, vocabulary: Int, dataset: String)
        throws
    {
        try config.check(
            inputShape: inputShape, classes: classes, vocabulary: vocabulary, samples: probeSize, dataset: dataset,
            path: "--model \(modelName)")
    }

    private func measureClassifier(
        _ starts: [InitStart], _ initialized: @escaping (ModelConfig, ParameterStore, InitReport) -> Void
    ) throws -> [InitMeasurement.Result] {
        let name = datasetName
        guard case let .images(splits) = try DatasetLoader.load(name, dataDirectory: dataDirectory) else {
            throw UserError("dataset '\(name)' is a translation set; the \(modelName) takes image datasets")
        }
        let indices = try ProbeBatch.indices(size: probeSize, of: splits.train.count, experimentSeed: seed)
        let probe = splits.train.batch(indices, normalization: splits.normalization)
        let classes = splits.train.classNames.count
        let shape = [splits.train.channels, splits.train.height, splits.train.width]
        try check(model, inputShape: shape, classes: classes, vocabulary: 0, dataset: name)
        return try starts.map { start in
            try InitMeasurement.classifier(
                model.makeClassifier(inputShape: shape, classes: classes), start: start, seed: seed,
                inputs: probe.inputs, labels: probe.labels, classes: classes, settings: settings,
                learningRate: learningRate, batches: splits.searchBatches(experimentSeed: seed),
                initialized: { initialized(model, $0, $1) })
        }
    }

    private func measureTransformer(
        _ starts: [InitStart], _ initialized: @escaping (ModelConfig, ParameterStore, InitReport) -> Void
    ) throws -> [InitMeasurement.Result] {
        let name = datasetName
        guard case let .translation(splits) = try DatasetLoader.load(name, dataDirectory: dataDirectory),
            case var .transformer(transformerSettings) = model
        else {
            throw UserError(
                "dataset '\(name)' holds images; the transformer takes a translation set (de-en-numbers, freedict-de-en)")
        }
        let tokenizer = CharacterTokenizer(texts: splits.train.flatMap { [$0.source, $0.target] })
        let indices = try ProbeBatch.indices(size: probeSize, of: splits.train.count, experimentSeed: seed)
        let pairs = indices.map { splits.train[$0] }
        // A file's model keeps its own length (learned positions have that shape); a new one fits the data.
        let fromFile = starts.contains { if case .weights = $0 { true } else { false } }
        let length = TranslationTask.length(of: pairs, limit: fromFile ? transformerSettings.maximumLength : 64)
        let probe = TranslationBatch(pairs: pairs, tokenizer: tokenizer, length: length)
        let batches = splits.searchBatches(tokenizer: tokenizer, length: length, experimentSeed: seed)
        if !fromFile { transformerSettings.maximumLength = max(length, 32) }
        let config = ModelConfig.transformer(transformerSettings)
        try check(config, inputShape: [], classes: 0, vocabulary: tokenizer.vocabularySize, dataset: name)
        return try starts.map { start in
            try InitMeasurement.transformer(
                config.makeTransformer(vocabulary: tokenizer.vocabularySize), start: start, seed: seed,
                probe: probe, settings: settings, learningRate: learningRate, batches: batches,
                initialized: { initialized(config, $0, $1) })
        }
    }
}
