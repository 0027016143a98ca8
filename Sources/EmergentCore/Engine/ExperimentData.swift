import Kernels
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

    /// `probeSize` nil: 256 samples, or all of a smaller training split.
    public init(dataset: String, content: Content, experimentSeed: UInt64, probeSize: Int?) throws(ExperimentError) {
        self.dataset = dataset
        self.content = content
        self.experimentSeed = experimentSeed
        let (train, test): (Int, Int)
        switch content {
        case let .images(splits): (train, test) = (splits.train.count, splits.test.count)
        case let .translation(splits, _): (train, test) = (splits.train.count, splits.test.count)
        }
        guard train > 0 else { throw .incompatible("dataset '\(dataset)' has no training samples") }
        guard test > 0 else {
            throw .incompatible("dataset '\(dataset)' has no test samples, so no test metric can be computed")
        }
        do {
            probeIndices = try ProbeBatch.indices(
                size: probeSize ?? min(ProbeBatch.defaultSize, train), of: train, experimentSeed: experimentSeed)
        } catch {
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
            content = .translation(
                splits, tokenizer: CharacterTokenizer(texts: splits.train.flatMap { [$0.source, $0.target] }))
        }
        let data = try ExperimentData(
            dataset: experiment.dataset, content: content, experimentSeed: experiment.seed,
            probeSize: experiment.probeSize
        ).holdingOut(validation: experiment.validationSize)
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
    public var inputShape: [Int] {
        if case let .images(splits) = content {
            return [splits.train.channels, splits.train.height, splits.train.width]
        }
        return []
    }
    public var classes: Int { if case let .images(splits) = content { splits.train.classNames.count } else { 0 } }
    public var vocabulary: Int {
        if case let .translation(_, tokenizer) = content { tokenizer.vocabularySize } else { 0 }
    }

    /// Refuses what would trap or exhaust memory, before anything is allocated.
    public func check(_ run: RunConfig, path: String) throws(ExperimentError) {
        try run.settings.model.check(
            inputShape: inputShape, classes: classes, vocabulary: vocabulary,
            samples: run.settings.batchSize + probeIndices.count, dataset: dataset, path: "\(path).model")
    }

    /// SHA-256 of the loaded content (every split's pixels and labels, or its pairs), which a
    /// run folder records: two machines trained on the same data exactly when these agree.
    public func contentChecksum() -> String {
        switch content {
        case let .images(splits):
            var hasher = SHA256()
            for split in [splits.train, splits.test] {
                hasher.update(Array("\(split.count) \(split.channels)x\(split.height)x\(split.width)\n".utf8))
                hasher.update(split.pixels)
                hasher.update(split.labels)
            }
            return hasher.finalizeHex()
        case let .translation(splits, _):
            return TranslationSplits.digest(splits.train + splits.test)
        }
    }
}
