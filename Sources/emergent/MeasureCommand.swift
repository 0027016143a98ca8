import ArgumentParser
import EmergentCore
import Foundation
import Kernels

/// Emergence and per-layer statistics at initialization, one table per initializer.
struct MeasureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Emergence and per-layer signal statistics of a model at initialization, per initializer.",
        discussion: """
            Every initializer is applied to the same model with the same seed and measured on the same \
            probe batch. --init takes NAME[:KEY=VALUE,...]: \
            \(InitializerSpec.Scheme.allCases.map(\.rawValue).joined(separator: ", ")) \
            (e.g. emergence:alpha=1.2,base=kaiming).
            """)

    enum ModelChoice: String, ExpressibleByArgument, CaseIterable { case mlp, cnn, transformer }

    @Option(help: "Model: mlp (784-256×6-10 by default), cnn (the reference CNN) or transformer.")
    var model: ModelChoice = .mlp

    @Option(
        name: .customLong("init"),
        help: "An initializer NAME[:KEY=VALUE,...]; repeatable (default: kaiming and emergence:alpha=1.2).")
    var initializers: [String] = []

    @Option(help: "Dataset (default: fashion-mnist-small, or de-en-numbers for the transformer).")
    var dataset: String?

    @Option(help: "A directory holding MNIST or CIFAR-10 files.")
    var dataDir: String?

    @Option(help: "Activity threshold τ (> 0).")
    var tau = EmergenceSettings.defaultTau

    @Option(help: "Activity criterion: activation (mean |h| > τ) or weight (mean |incoming weight| > τ).")
    var criterion: EmergenceSettings.Criterion = .activation

    @Option(help: "Probe batch size (1...number of training samples).")
    var probeSize = ProbeBatch.defaultSize

    @Option(help: "Seed of the initialization (and of the probe choice).")
    var seed: UInt64 = 0

    @Option(help: "Learning rate for the first-update ratio column (> 0).")
    var learningRate = 0.05

    @OptionGroup var classifier: ClassifierModelOptions
    @Option(help: "Transformer: model width (divisible by --heads).")
    var width: Int?
    @Option(help: "Transformer: attention heads.")
    var heads: Int?
    @Option(help: "Transformer: encoder and decoder layers each.")
    var layers: Int?
    @Option(help: "Transformer: feed-forward width.")
    var feedForward: Int?
    @Flag(help: "Transformer: post-LN instead of pre-LN.")
    var postNorm = false

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    func validate() throws {
        do { _ = try EmergenceSettings(tau: tau, criterion: criterion) } catch {
            throw ValidationError(error.description)
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw ValidationError("--learning-rate \(learningRate) must be a positive number")
        }
        for text in initializers {
            do { _ = try InitializerSpec(parsing: text) } catch { throw ValidationError(error.description) }
        }
        let transformerOnly: [(String, Bool)] = [
            ("--width", width != nil), ("--heads", heads != nil), ("--layers", layers != nil),
            ("--feed-forward", feedForward != nil), ("--post-norm", postNorm),
        ]
        if model == .transformer, let option = classifier.given.first(where: \.isSet) {
            throw ValidationError(
                "\(option.0) is not an option of the transformer; its options are --width, --heads, --layers, --feed-forward, --post-norm"
            )
        }
        if model != .transformer, let option = transformerOnly.first(where: \.1) {
            throw ValidationError(
                "\(option.0) is an option of the transformer only; the \(model.rawValue)'s options are --widths, --activation, --batch-norm, --residual"
            )
        }
        for (name, value, range) in [
            ("--width", width, 2...4096), ("--heads", heads, 1...64), ("--layers", layers, 1...48),
            ("--feed-forward", feedForward, 1...16384),
        ] {
            if let value, !range.contains(value) {
                throw ValidationError("\(name) \(value) is out of range; it must be in \(range)")
            }
        }
        let (effectiveWidth, effectiveHeads) = (width ?? 128, heads ?? 4)
        if effectiveWidth % effectiveHeads != 0 {
            throw ValidationError(
                "--width \(effectiveWidth) must be divisible by --heads \(effectiveHeads)"
                    + (width == nil || heads == nil ? " (the default width is 128 and heads 4)" : ""))
        }
        if let dataDir {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dataDir, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw ValidationError("--data-dir: '\(dataDir)' is not a directory")
            }
        }
        if model != .transformer { _ = try modelConfig() }
    }

    func run() throws {
        FloatingPointMode.enableFlushToZero()
        let settings = try EmergenceSettings(tau: tau, criterion: criterion)
        let specs = try (initializers.isEmpty ? ["kaiming", "emergence:alpha=1.2"] : initializers).map(
            InitializerSpec.init(parsing:))
        let results: [InitMeasurement.Result]
        switch model {
        case .mlp, .cnn: results = try measureClassifier(specs, settings)
        case .transformer: results = try measureTransformer(specs, settings)
        }
        if json {
            print(try JSONOutput.text(results))
        } else {
            print(results.map(MeasureTable.render).joined(separator: "\n"))
        }
    }

    /// The model these flags describe, as an experiment file would.
    private func modelConfig() throws -> ModelConfig {
        switch model {
        case .mlp, .cnn:
            return try classifier.model(kind: model.rawValue, defaultWidths: Array(repeating: 256, count: 6))
        case .transformer:
            var settings = ModelConfig.TransformerSettings()
            settings.width = width ?? settings.width
            settings.heads = heads ?? settings.heads
            settings.encoderLayers = layers ?? settings.encoderLayers
            settings.decoderLayers = layers ?? settings.decoderLayers
            settings.feedForward = feedForward ?? settings.feedForward
            settings.preNorm = !postNorm
            return .transformer(settings)
        }
    }

    /// The memory and image-size checks of experiment files, in the words of the flags.
    private func check(_ config: ModelConfig, inputShape: [Int], classes: Int, vocabulary: Int, dataset: String) throws
    {
        do {
            try config.check(
                inputShape: inputShape, classes: classes, vocabulary: vocabulary, samples: probeSize, dataset: dataset,
                path: "--model \(model.rawValue)")
        } catch { throw ValidationError(error.description) }
    }

    private func measureClassifier(
        _ specs: [InitializerSpec], _ settings: EmergenceSettings
    ) throws -> [InitMeasurement.Result] {
        let name = dataset ?? "fashion-mnist-small"
        guard case let .images(splits) = try DatasetLoader.load(name, dataDirectory: dataDir) else {
            throw ValidationError("dataset '\(name)' is a translation set; the \(model.rawValue) takes image datasets")
        }
        let indices = try ProbeBatch.indices(size: probeSize, of: splits.train.count, experimentSeed: seed)
        let probe = splits.train.batch(indices, normalization: splits.normalization)
        let classes = splits.train.classNames.count
        let shape = [splits.train.channels, splits.train.height, splits.train.width]
        let config = try modelConfig()
        try check(config, inputShape: shape, classes: classes, vocabulary: 0, dataset: name)
        return try specs.map { spec in
            try InitMeasurement.classifier(
                config.makeClassifier(inputShape: shape, classes: classes), initializer: spec, seed: seed,
                inputs: probe.inputs, labels: probe.labels, classes: classes, settings: settings,
                learningRate: learningRate, batches: splits.searchBatches(experimentSeed: seed))
        }
    }

    private func measureTransformer(
        _ specs: [InitializerSpec], _ settings: EmergenceSettings
    ) throws -> [InitMeasurement.Result] {
        let name = dataset ?? "de-en-numbers"
        guard case let .translation(splits) = try DatasetLoader.load(name, dataDirectory: dataDir) else {
            throw ValidationError(
                "dataset '\(name)' holds images; the transformer takes a translation set (de-en-numbers, freedict-de-en)"
            )
        }
        let tokenizer = CharacterTokenizer(texts: splits.train.flatMap { [$0.source, $0.target] })
        let indices = try ProbeBatch.indices(size: probeSize, of: splits.train.count, experimentSeed: seed)
        let pairs = indices.map { splits.train[$0] }
        let length = TranslationTask.length(of: pairs, limit: 64)
        let probe = TranslationBatch(pairs: pairs, tokenizer: tokenizer, length: length)
        let batches = splits.searchBatches(tokenizer: tokenizer, length: length, experimentSeed: seed)
        guard case var .transformer(transformerSettings) = try modelConfig() else {
            preconditionFailure("a transformer was asked for")
        }
        transformerSettings.maximumLength = max(length, 32)
        let config = ModelConfig.transformer(transformerSettings)
        try check(config, inputShape: [], classes: 0, vocabulary: tokenizer.vocabularySize, dataset: name)
        return try specs.map { spec in
            try InitMeasurement.transformer(
                config.makeTransformer(vocabulary: tokenizer.vocabularySize), initializer: spec, seed: seed,
                probe: probe, settings: settings, learningRate: learningRate, batches: batches)
        }
    }
}

extension EmergenceSettings.Criterion: ExpressibleByArgument {}

/// The text table of one initializer's measurement.
enum MeasureTable {
    static func render(_ result: InitMeasurement.Result) -> String {
        let m = result.measurement
        var lines = [
            String(
                format:
                    "%@: step-0 loss %.4f (ln C = %.4f)   log10 E %@   log10 E′ %@   log10 E/params %@   (%d parameters, τ %g, %@)",
                result.initializer, result.loss, result.logClasses, number(m.log10E), number(m.log10CompleteE),
                number(m.log10Relative), m.parameters, m.tau, m.criterion.rawValue)
        ]
        if result.probeForwards > 0 || result.gradientEvaluations > 0 {
            lines.append(
                String(
                    format: "  cost: %d probe passes, %d gradient evaluations, %.2f s",
                    result.probeForwards, result.gradientEvaluations, result.seconds))
        }
        lines.append(
            "  layer            shape          scale   log10 E_l  active  weight rms  act mean   act std  grad norm  log10 Δ/W   dead  sat"
        )
        for layer in m.layers {
            lines.append(
                "  "
                    + [
                        pad(layer.name, 16), pad(layer.shape.map(String.init).joined(separator: "×"), 14),
                        pad(layer.scale.map { String(format: "%.4f", $0) } ?? "—", 7, right: true),
                        pad(number(layer.log10E), 10, right: true),
                        pad(String(format: "%.3f", layer.activeFraction), 7, right: true),
                        pad(String(format: "%.4f", layer.weightRMS), 11, right: true),
                        pad(String(format: "%.4f", layer.activationMean), 9, right: true),
                        pad(String(format: "%.4f", layer.activationStd), 9, right: true),
                        pad(String(format: "%.4f", layer.gradientNorm), 10, right: true),
                        pad(layer.log10UpdateRatio.map { String(format: "%.2f", $0) } ?? "—", 10, right: true),
                        pad(String(format: "%.3f", layer.deadFraction), 6, right: true),
                        pad(layer.saturatedFraction.map { String(format: "%.3f", $0) } ?? "—", 5, right: true),
                    ].joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double) -> String { value == -.infinity ? "−∞ (0)" : String(format: "%.2f", value) }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(width - text.count, 0))
        return right ? padding + text : text + padding
    }
}
