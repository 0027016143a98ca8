import Foundation

/// The data every run of an experiment shares, loaded once: the dataset's splits and the
/// probe (the same samples for every run, chosen by the experiment's seed).
public struct ExperimentData: Sendable {
    public enum Content: Sendable {
        case images(ImageDatasetSplits)
        case translation(TranslationSplits, tokenizer: CharacterTokenizer)
    }

    public let dataset: String
    public let content: Content
    public let experimentSeed: UInt64
    /// Training-set indices of the probe samples.
    public let probeIndices: [Int]

    public init(dataset: String, content: Content, experimentSeed: UInt64, probeSize: Int) throws(ExperimentError) {
        self.dataset = dataset
        self.content = content
        self.experimentSeed = experimentSeed
        let (train, test): (Int, Int)
        switch content {
        case let .images(splits): (train, test) = (splits.train.count, splits.test.count)
        case let .translation(splits, _): (train, test) = (splits.train.count, splits.test.count)
        }
        guard train > 0 else { throw .incompatible("dataset '\(dataset)' has no training samples") }
        guard test > 0 else { throw .incompatible("dataset '\(dataset)' has no test samples, so no test metric can be computed") }
        do { probeIndices = try ProbeBatch.indices(size: probeSize, of: train, experimentSeed: experimentSeed) } catch {
            throw .invalid(path: "probe_size", message: error.description)
        }
    }

    /// Loads the experiment's dataset and checks every run against it (image sizes, memory).
    public static func load(_ experiment: ExperimentConfig) throws(ExperimentError) -> ExperimentData {
        let loaded: LoadedDataset
        do { loaded = try DatasetLoader.load(experiment.dataset, dataDirectory: experiment.dataDirectory) } catch {
            throw .incompatible(error.description)
        }
        let content: Content
        switch loaded {
        case let .images(splits): content = .images(splits)
        case let .translation(splits):
            content = .translation(splits, tokenizer: CharacterTokenizer(texts: splits.train.flatMap { [$0.source, $0.target] }))
        }
        let data = try ExperimentData(dataset: experiment.dataset, content: content, experimentSeed: experiment.seed,
                                      probeSize: experiment.probeSize)
        for (index, run) in experiment.runs.enumerated() { try data.check(run, path: "runs[\(index)]") }
        return data
    }

    public var trainCount: Int {
        switch content {
        case let .images(splits): splits.train.count
        case let .translation(splits, _): splits.train.count
        }
    }

    /// Shapes the model needs from the data: one input sample, classes, vocabulary.
    var inputShape: [Int] {
        if case let .images(splits) = content { return [splits.train.channels, splits.train.height, splits.train.width] }
        return []
    }
    var classes: Int { if case let .images(splits) = content { splits.train.classNames.count } else { 0 } }
    var vocabulary: Int { if case let .translation(_, tokenizer) = content { tokenizer.vocabularySize } else { 0 } }

    /// Refuses what would trap or exhaust memory, before anything is allocated.
    public func check(_ run: RunConfig, path: String) throws(ExperimentError) {
        let settings = run.settings
        if case let .cnn(stages, _, _, _, _) = settings.model {
            let shape = inputShape, pools = stages.count, smallest = 1 << pools
            guard shape[1] >= smallest && shape[2] >= smallest else {
                throw .invalid(path: "\(path).model.stages", message: "\(pools) stages halve the image \(pools) times, so images must be at least "
                    + "\(smallest)×\(smallest); '\(dataset)' has \(shape[1])×\(shape[2])")
            }
        }
        let parameters = settings.model.parameterCount(inputShape: inputShape, classes: classes, vocabulary: vocabulary)
        // Values, gradients and two optimizer moments per parameter; activations for a batch and the probe.
        let samples = settings.batchSize + probeIndices.count
        let bytes = 4.0 * (4 * Double(parameters) + Double(samples) * Double(settings.model.activationsPerSample(inputShape: inputShape)))
        let limit = Double(ProcessInfo.processInfo.physicalMemory) / 2
        guard bytes <= limit else {
            throw .invalid(path: "\(path).model", message: String(
                format: "this model needs about %.1f GiB (%d parameters, batch %d); at most %.1f GiB (half of this machine's memory) is allowed",
                bytes / 1_073_741_824, parameters, settings.batchSize, limit / 1_073_741_824))
        }
    }
}
