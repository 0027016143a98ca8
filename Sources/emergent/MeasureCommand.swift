import ArgumentParser
import EmergentCore
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
        _ = try userFacing { try EmergenceSettings(tau: tau, criterion: criterion) }
        guard learningRate > 0, learningRate.isFinite else {
            throw ValidationError("--learning-rate \(learningRate) must be a positive number")
        }
        for text in initializers {
            do { _ = try InitializerSpec(parsing: text) } catch { throw ValidationError(error.description) }
        }
        try userFacing { try transformer.check(model: model.rawValue, classifierFlags: classifier.given) }
        try FlagRange.directory(dataDir) { "--data-dir: '\($0)' is not a directory" }
        if model != .transformer { _ = try modelConfig() }
    }

    func run() throws {
        FloatingPointMode.enableFlushToZero()
        let settings = try EmergenceSettings(tau: tau, criterion: criterion)
        let specs = try (initializers.isEmpty ? ["kaiming", "emergence:alpha=1.2"] : initializers).map(
            InitializerSpec.init(parsing:))
        let measurement = InitMeasurementRun(
            model: try modelConfig(), dataset: dataset, dataDirectory: dataDir, probeSize: probeSize, seed: seed,
            settings: settings, learningRate: learningRate, modelName: model.rawValue)
        let results = try userFacing { try measurement.measure(specs) }
        if json {
            print(try JSONOutput.text(results))
        } else {
            print(results.map(\.table).joined(separator: "\n"))
        }
    }

    var transformer: TransformerModelFlags {
        TransformerModelFlags(width: width, heads: heads, layers: layers, feedForward: feedForward, postNorm: postNorm)
    }

    /// The model these flags describe, as an experiment file would.
    private func modelConfig() throws -> ModelConfig {
        model == .transformer
            ? transformer.model
            : try classifier.model(kind: model.rawValue, defaultWidths: Array(repeating: 256, count: 6))
    }
}

extension EmergenceSettings.Criterion: ExpressibleByArgument {}
