import ArgumentParser
import EmergentCore

/// One run of the engine from flags: a one-run experiment, printing a line per epoch.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one classifier headless and print loss and test accuracy per epoch.",
        discussion: "A one-run experiment; 'emergent run' trains several side by side from an experiment file.")

    enum ModelChoice: String, ExpressibleByArgument, CaseIterable { case mlp, cnn }

    @Option(help: "Model: mlp (784-512×4-10 by default) or cnn (the reference CNN).")
    var model: ModelChoice = .mlp

    @OptionGroup var classifier: ClassifierModelOptions

    @Option(help: "Dataset: fashion-mnist-small, fashion-mnist, mnist or cifar10 (with --data-dir).")
    var dataset = "fashion-mnist-small"

    @Option(help: "A directory holding MNIST or CIFAR-10 files.")
    var dataDir: String?

    @Option(help: "Epochs (1...1000).")
    var epochs = 2

    @Option(help: "Batch size (1...65536).")
    var batchSize = 128

    @Option(help: "SGD learning rate (> 0).")
    var learningRate = 0.05

    @Option(help: "SGD momentum (0...0.999).")
    var momentum = 0.9

    @Option(help: "Seed of the run's random generators.")
    var seed: Int = 0

    @Option(name: .customLong("init"), help: "Initializer NAME[:KEY=VALUE,...] (see 'emergent inits').")
    var initializer = "kaiming"

    /// The one-run experiment these flags describe.
    var oneRun: OneRunExperiment {
        get throws {
            OneRunExperiment(
                model: try classifier.json(kind: model.rawValue, defaultWidths: [512, 512, 512, 512]), dataset: dataset,
                dataDirectory: dataDir, seed: seed, learningRate: learningRate, momentum: momentum,
                batchSize: batchSize, epochs: epochs, initializer: initializer)
        }
    }

    func experiment() throws -> ExperimentConfig {
        do { return try oneRun.config() } catch let error as ExperimentError {
            throw ValidationError(ClassifierModelOptions.flagWording(error.description))
        }
    }

    func validate() throws { _ = try experiment() }

    func run() throws {
        let config = try experiment()
        let snapshot = try userFacing { try oneRun.train(config, modelName: model.rawValue) { print($0) } }
        if let failure = snapshot.failure { throw ValidationError(failure) }
        if let step = snapshot.divergedAt { print("diverged at step \(step)") }
    }
}
