/// A validation set carved from the training set: `size` samples chosen by the experiment's
/// seed become the evaluation set, the rest the training set, and the test set is left
/// unread. Learning rates are chosen on it, so no choice ever sees the test set.
public struct ValidationSplit: Sendable, Equatable {
    /// Training-set indices that stay for training, and those held out, each in order.
    public let training: [Int]
    public let validation: [Int]

    public init(count: Int, size: Int, seed: UInt64) {
        var generator = SeededRandom(seed: seed ^ 0x7661_6C69_6461_7465)  // "validate"
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        let held = min(max(size, 0), count)
        validation = order.prefix(held).sorted()
        training = order.dropFirst(held).sorted()
    }
}

extension ImageDataset {
    /// The images at `indices`, in that order.
    public func subset(_ indices: [Int]) -> ImageDataset {
        var chosen: [UInt8] = []
        chosen.reserveCapacity(indices.count * featureCount)
        for index in indices { chosen += pixels[(index * featureCount)..<((index + 1) * featureCount)] }
        return ImageDataset(
            name: name, channels: channels, height: height, width: width, pixels: chosen,
            labels: indices.map { labels[$0] }, classNames: classNames)
    }
}

extension ExperimentData {
    /// The same experiment's data with `size` training samples held out as its evaluation set
    /// (the normalization and the tokenizer from the remaining training samples).
    public func holdingOut(validation size: Int) throws(ExperimentError) -> ExperimentData {
        guard size > 0 else { return self }
        guard size < trainCount else {
            throw .invalid(
                path: "validation_size",
                message: "\(size) is not below the \(trainCount) training samples of '\(dataset)'")
        }
        let split = ValidationSplit(count: trainCount, size: size, seed: experimentSeed)
        let content: Content
        switch self.content {
        case let .images(splits):
            let train = splits.train.subset(split.training)
            content = .images(
                ImageDatasetSplits(
                    train: train, test: splits.train.subset(split.validation), normalization: train.pixelStatistics()))
        case let .translation(splits, _):
            let train = split.training.map { splits.train[$0] }
            content = .translation(
                TranslationSplits(
                    name: splits.name, train: train, test: split.validation.map { splits.train[$0] }),
                tokenizer: CharacterTokenizer(texts: train.flatMap { [$0.source, $0.target] }))
        }
        return try ExperimentData(
            dataset: dataset + " (validation split)", content: content, experimentSeed: experimentSeed,
            probeSize: probeIndices.count)
    }
}
