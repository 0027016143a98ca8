/// One training step and evaluation for classifiers: forward, fused softmax cross-entropy,
/// backward, optimizer step. The trainer of later issues builds on these.
public enum ClassifierTraining {
    public struct StepResult {
        public let loss: Double
        public let correct: Int
        public let count: Int
    }

    public static func step(
        model: some ClassifierModel, inputs: Tensor, labels: [Int], optimizer: Optimizer, learningRate: Float,
        loss: SoftmaxCrossEntropy = SoftmaxCrossEntropy(), updater: EmergentWeightUpdater? = nil
    ) -> StepResult {
        model.store.zeroGradients()
        let logits = model.forward(inputs, mode: .training)
        let result = loss(logits: logits, targets: labels)
        model.backward(result.gradient)
        // The updater reads this step's gradients against the weights they were taken at.
        updater?.observe(loss: result.loss)
        optimizer.step(model.store, learningRate: learningRate)
        return StepResult(loss: result.loss, correct: result.correct, count: result.counted)
    }

    /// Accuracy and mean loss on a whole split, in evaluation mode.
    public static func evaluate(model: some ClassifierModel, data: ImageDataset, normalization: Normalization,
                                batchSize: Int = 500) -> (accuracy: Double, loss: Double) {
        var correct = 0, lossSum = 0.0
        for start in stride(from: 0, to: data.count, by: batchSize) {
            let indices = start..<min(start + batchSize, data.count)
            let batch = data.batch(indices, normalization: normalization)
            let result = SoftmaxCrossEntropy()(logits: model.forward(batch.inputs, mode: .evaluation), targets: batch.labels)
            correct += result.correct
            lossSum += result.loss * Double(result.counted)
        }
        return (Double(correct) / Double(max(data.count, 1)), lossSum / Double(max(data.count, 1)))
    }
}
