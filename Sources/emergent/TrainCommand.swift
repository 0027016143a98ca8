import ArgumentParser
import EmergentCore
import Foundation
import Kernels

/// Headless training of a classifier, printing one line per epoch.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a classifier headless and print loss and test accuracy per epoch.")

    enum ModelChoice: String, ExpressibleByArgument, CaseIterable { case mlp, cnn }

    @Option(help: "Model: mlp (784-512×4-10 by default) or cnn (the reference CNN).")
    var model: ModelChoice = .mlp

    @Option(help: "Hidden widths of the MLP, comma-separated (each 1...65536).")
    var widths = "512,512,512,512"

    @Option(help: "Activation: \(ActivationKind.names.joined(separator: ", ")).")
    var activation = "relu"

    @Flag(help: "BatchNorm after each hidden layer.")
    var batchNorm = false

    @Flag(help: "Residual blocks: MLP where widths agree; CNN a second, residual convolution per stage.")
    var residual = false

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

    @Option(help: "SGD momentum (0...1).")
    var momentum = 0.9

    @Option(help: "Seed of the run's random generator.")
    var seed: UInt64 = 0

    @Option(name: .customLong("init"), help: "Initializer NAME[:KEY=VALUE,...] (see 'emergent inits').")
    var initializer = "kaiming"

    func validate() throws {
        guard (1...1000).contains(epochs) else { throw ValidationError("--epochs \(epochs) is out of range; it must be in 1...1000") }
        guard (1...65536).contains(batchSize) else { throw ValidationError("--batch-size \(batchSize) is out of range; it must be in 1...65536") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate \(learningRate) must be a positive number") }
        guard (0...1).contains(momentum) else { throw ValidationError("--momentum \(momentum) is out of range; it must be in 0...1") }
        guard ActivationKind(name: activation) != nil else {
            throw ValidationError("unknown activation '\(activation)'; choose one of: \(ActivationKind.names.joined(separator: ", "))")
        }
        _ = try hiddenWidths()
        do { _ = try InitializerSpec(parsing: initializer) } catch { throw ValidationError(error.description) }
    }

    func hiddenWidths() throws -> [Int] {
        try widths.split(separator: ",", omittingEmptySubsequences: false).map { text in
            guard let width = Int(text.trimmingCharacters(in: .whitespaces)), (1...65536).contains(width) else {
                throw ValidationError("--widths: '\(text)' is not a width in 1...65536")
            }
            return width
        }
    }

    func run() throws {
        FloatingPointMode.enableFlushToZero()
        AllocatorTuning.keepFreedMemory()
        guard case let .images(splits) = try DatasetLoader.load(dataset, dataDirectory: dataDir) else {
            throw ValidationError("dataset '\(dataset)' is a translation set; train takes image datasets")
        }
        let network: any ClassifierModel & InitTarget
        switch model {
        case .mlp:
            let widths = [splits.train.featureCount] + (try hiddenWidths()) + [splits.train.classNames.count]
            network = MLP(MLPConfiguration(widths: widths, activation: ActivationKind(name: activation)!, batchNorm: batchNorm,
                                           residual: residual))
        case .cnn:
            let train = splits.train
            network = CNN(.reference(inputShape: [train.channels, train.height, train.width], classes: train.classNames.count,
                                     batchNorm: batchNorm, residual: residual, activation: ActivationKind(name: activation)!))
        }
        var generator = SeededRandom(seed: seed)
        let probe = splits.train.batch(try ProbeBatch.indices(size: min(ProbeBatch.defaultSize, splits.train.count),
                                                               of: splits.train.count, experimentSeed: seed),
                                       normalization: splits.normalization).inputs
        let spec = try InitializerSpec(parsing: initializer)
        let probePass = { _ = network.forward(probe, mode: .probe) }
        let report = try spec.apply(
            to: network, using: &generator, probe: probePass,
            batches: splits.searchBatches(experimentSeed: seed))
        if report.probeForwards > 0 { print(String(format: "%@: %d probe passes in %.2f s", initializer, report.probeForwards, report.seconds)) }
        if report.gradientEvaluations > 0 {
            print(String(format: "%@: %d gradient evaluations in %.2f s", initializer, report.gradientEvaluations, report.seconds))
        }
        let updater = try spec.makeWeightUpdater(for: network, probe: probePass, using: &generator)
        let optimizer = Optimizer(.sgd(momentum: Float(momentum)))
        let schedule = EpochBatches(count: splits.train.count, batchSize: batchSize, seed: seed &+ 1)
        print("\(model.rawValue) on \(dataset): \(splits.train.count) train / \(splits.test.count) test, batch \(batchSize), SGD lr \(learningRate) momentum \(momentum), init \(initializer), seed \(seed)")
        var reportedScales = false
        for epoch in 0..<epochs {
            let start = ContinuousClock.now
            var lossSum = 0.0, seen = 0
            for batchIndices in schedule.batches(epoch: epoch) {
                let batch = splits.train.batch(batchIndices, normalization: splits.normalization)
                let step = ClassifierTraining.step(model: network, inputs: batch.inputs, labels: batch.labels,
                                                   optimizer: optimizer, learningRate: Float(learningRate), updater: updater)
                if let updater, updater.step == updater.settings.warmupSteps, !reportedScales {
                    reportedScales = true
                    print(String(format: "updater: h (%d parameters) frozen after %d steps, %.3f s of its own, %d probe passes; scales ",
                                 updater.parameterCount, updater.step, updater.seconds, updater.probeForwards)
                          + network.weightLayers.map { String(format: "%@ %.3f", $0.name, updater.scales[$0.name]!) }.joined(separator: ", "))
                }
                lossSum += step.loss * Double(step.count)
                seen += step.count
            }
            let seconds = (ContinuousClock.now - start).seconds
            let test = ClassifierTraining.evaluate(model: network, data: splits.test, normalization: splits.normalization)
            print(String(format: "epoch %d  train loss %.4f  test loss %.4f  test acc %.2f %%  %.1f s  %.0f samples/s",
                         epoch + 1, lossSum / Double(seen), test.loss, 100 * test.accuracy, seconds, Double(seen) / seconds))
        }
    }
}
