/// One teacher-forced training step for the transformer: forward on the decoder input,
/// cross-entropy against the shifted targets (padding ignored), backward, optimizer step.
public enum TranslationTraining {
    /// Zeroes the gradients, then forward, loss and backward on one batch of pairs.
    public static func forwardBackward(
        model: Transformer, batch: TranslationBatch, mode: PassMode = .training,
        loss: SoftmaxCrossEntropy
    ) -> SoftmaxCrossEntropy.Result {
        model.store.zeroGradients()
        let result = loss(
            logits: model.forward(source: batch.source, targetInput: batch.targetInput, mode: mode),
            targets: batch.targetOutput)
        model.backward(result.gradient)
        return result
    }

    @discardableResult
    public static func step(
        model: Transformer, batch: TranslationBatch, optimizer: Optimizer, learningRate: Float,
        loss: SoftmaxCrossEntropy
    ) -> SoftmaxCrossEntropy.Result {
        let result = forwardBackward(model: model, batch: batch, loss: loss)
        optimizer.step(model.store, learningRate: learningRate)
        return result
    }
}
