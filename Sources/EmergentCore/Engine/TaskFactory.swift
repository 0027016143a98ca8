/// Builds a run's model from its configuration and pairs it with the experiment's data.
enum TaskFactory {
    static func make(_ config: RunConfig, data: ExperimentData, dropoutSeed: UInt64) -> any TrainingTask {
        let settings = config.settings
        switch (settings.model, data.content) {
        case let (.mlp(hidden, activation, batchNorm, bias, residual, dropout), .images(splits)):
            let widths = [splits.train.featureCount] + hidden + [splits.train.classNames.count]
            let model = MLP(MLPConfiguration(widths: widths, activation: activation, batchNorm: batchNorm, bias: bias, residual: residual,
                                             dropout: Float(dropout), seed: dropoutSeed))
            return ClassifierTask(model: model, splits: splits, data: data, settings: settings)
        case let (.cnn(stages, head, activation, batchNorm, residual), .images(splits)):
            let model = CNN(CNNConfiguration(stages: stages, head: head, batchNorm: batchNorm, residual: residual, activation: activation,
                                             inputShape: [splits.train.channels, splits.train.height, splits.train.width],
                                             classes: splits.train.classNames.count))
            return ClassifierTask(model: model, splits: splits, data: data, settings: settings)
        case let (.transformer(t), .translation(splits, tokenizer)):
            let model = Transformer(TransformerConfiguration(
                vocabulary: tokenizer.vocabularySize, width: t.width, heads: t.heads, encoderLayers: t.encoderLayers,
                decoderLayers: t.decoderLayers, feedForward: t.feedForward, feedForwardActivation: t.activation, preNorm: t.preNorm,
                tiedOutput: t.tiedOutput, positions: t.positions, maximumLength: t.maximumLength, dropout: Float(t.dropout),
                seed: dropoutSeed))
            return TranslationTask(model: model, splits: splits, tokenizer: tokenizer, data: data, settings: settings)
        default:
            // ExperimentConfig.parse refuses a model that does not match its dataset's kind.
            preconditionFailure("a \(settings.model.kind) cannot train on '\(data.dataset)'")
        }
    }
}
