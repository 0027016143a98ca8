import ArgumentParser
import EmergentCore

/// The model and data flags of the commands that initialize a model without training it
/// (`measure`, `initialize`): which model, its shape, and the data its probe comes from.
struct InitModelOptions: ParsableArguments {
    enum ModelChoice: String, ExpressibleByArgument, CaseIterable { case mlp, cnn, transformer }

    @Option(help: "Model: mlp (784-256×6-10 by default), cnn (the reference CNN) or transformer.")
    var model: ModelChoice = .mlp

    @Option(help: "Dataset (default: fashion-mnist-small, or de-en-numbers for the transformer).")
    var dataset: String?

    @Option(help: "A directory holding MNIST or CIFAR-10 files.")
    var dataDir: String?

    @Option(help: "Probe batch size (1...number of training samples).")
    var probeSize = ProbeBatch.defaultSize

    @Option(help: "Seed of the initialization and of the probe choice (default 0; with --weights, the file's).")
    var seed: UInt64?

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

    func validate() throws {
        try userFacing { try transformer.check(model: model.rawValue, classifierFlags: classifier.given) }
        try FlagRange.directory(dataDir) { "--data-dir: '\($0)' is not a directory" }
        if model != .transformer { _ = try modelConfig() }
    }

    var transformer: TransformerModelFlags {
        TransformerModelFlags(width: width, heads: heads, layers: layers, feedForward: feedForward, postNorm: postNorm)
    }

    /// The model these flags describe, as an experiment file would.
    func modelConfig() throws -> ModelConfig {
        model == .transformer
            ? transformer.model
            : try classifier.model(kind: model.rawValue, defaultWidths: Array(repeating: 256, count: 6))
    }

    /// What initializes and measures the model: the data, the probe and the seed.
    func measurementRun(settings: EmergenceSettings, learningRate: Double) throws -> InitMeasurementRun {
        InitMeasurementRun(
            model: try modelConfig(), dataset: dataset, dataDirectory: dataDir, probeSize: probeSize, seed: seed ?? 0,
            settings: settings, learningRate: learningRate, modelName: model.rawValue)
    }
}
