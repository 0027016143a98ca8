import Foundation

/// Builds a run's model from its configuration and pairs it with the experiment's data.
enum TaskFactory {
    static func make(_ config: RunConfig, data: ExperimentData, dropoutSeed: UInt64) -> any TrainingTask {
        let settings = config.settings
        switch data.content {
        case let .images(splits):
            let model = settings.model.makeClassifier(
                inputShape: data.inputShape, classes: data.classes, seed: dropoutSeed)
            return ClassifierTask(model: model, splits: splits, data: data, settings: settings)
        case let .translation(splits, tokenizer):
            let model = settings.model.makeTransformer(vocabulary: tokenizer.vocabularySize, seed: dropoutSeed)
            return TranslationTask(model: model, splits: splits, tokenizer: tokenizer, data: data, settings: settings)
        }
    }
}

extension ModelConfig {
    /// The MLP or CNN for images of `inputShape` (channels, height, width); `seed` seeds dropout.
    public func makeClassifier(inputShape: [Int], classes: Int, seed: UInt64 = 0) -> any ClassifierModel & InitTarget {
        switch self {
        case let .mlp(hidden, activation, batchNorm, bias, residual, dropout):
            return MLP(
                MLPConfiguration(
                    widths: [inputShape.reduce(1, *)] + hidden + [classes], activation: activation,
                    batchNorm: batchNorm,
                    bias: bias, residual: residual, dropout: Float(dropout), seed: seed))
        case let .cnn(stages, head, activation, batchNorm, residual):
            return CNN(
                CNNConfiguration(
                    stages: stages, head: head, batchNorm: batchNorm, residual: residual, activation: activation,
                    inputShape: inputShape, classes: classes))
        case .transformer:
            // ExperimentConfig.parse refuses a transformer on an image set.
            preconditionFailure("the transformer is not a classifier")
        }
    }

    /// The transformer for a vocabulary; `seed` seeds dropout.
    public func makeTransformer(vocabulary: Int, seed: UInt64 = 0) -> Transformer {
        guard case let .transformer(t) = self else { preconditionFailure("a \(kind) is not a transformer") }
        return Transformer(
            TransformerConfiguration(
                vocabulary: vocabulary, width: t.width, heads: t.heads, encoderLayers: t.encoderLayers,
                decoderLayers: t.decoderLayers,
                feedForward: t.feedForward, feedForwardActivation: t.activation, preNorm: t.preNorm,
                tiedOutput: t.tiedOutput,
                positions: t.positions, maximumLength: t.maximumLength, dropout: Float(t.dropout), seed: seed))
    }

    /// Refuses a model that would trap on these images or not fit in memory, before anything
    /// is allocated: every pooling stage needs at least 2×2 pixels, and parameters, gradients,
    /// optimizer moments and one batch's activations must fit in half the machine's memory.
    public func check(
        inputShape: [Int], classes: Int, vocabulary: Int, samples: Int, dataset: String,
        path: String
    ) throws(ExperimentError) {
        if case let .cnn(stages, _, _, _, _) = self {
            let smallest = 1 << stages.count
            guard inputShape[1] >= smallest && inputShape[2] >= smallest else {
                throw .invalid(
                    path: "\(path).stages",
                    message: "\(stages.count) stages halve the image \(stages.count) times, so images must "
                        + "be at least \(smallest)×\(smallest); '\(dataset)' has \(inputShape[1])×\(inputShape[2])")
            }
        }
        let parameters = parameterCount(inputShape: inputShape, classes: classes, vocabulary: vocabulary)
        let bytes =
            4.0 * (4 * Double(parameters) + Double(samples) * Double(activationsPerSample(inputShape: inputShape)))
        let limit = Double(ProcessInfo.processInfo.physicalMemory) / 2
        guard bytes <= limit else {
            throw .invalid(
                path: path,
                message: String(
                    format:
                        "this model needs about %.1f GiB (%ld parameters, %ld samples at once); at most %.1f GiB (half of this machine's memory) is allowed",
                    bytes / 1_073_741_824, parameters, samples, limit / 1_073_741_824))
        }
    }
}
