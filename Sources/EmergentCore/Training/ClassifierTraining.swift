/// One training step and evaluation for classifiers: forward, fused softmax cross-entropy,
/// backward, optimizer step. The trainer and the benchmarks share these.
public enum ClassifierTraining {
    public struct StepResult {
        public let loss: Double
        public let correct: Int
        public let count: Int
    }

    /// Zeroes the gradients, then forward, loss and backward: the gradients of one batch.
    public static func forwardBackward(
        model: some ClassifierModel, inputs: Tensor, labels: [Int], mode: PassMode = .training,
        loss: SoftmaxCrossEntropy = SoftmaxCrossEntropy()
    ) -> StepResult {
        model.store.zeroGradients()
        let result = loss(logits: model.forward(inputs, mode: mode), targets: labels)
        model.backward(result.gradient)
        return StepResult(loss: result.loss, correct: result.correct, count: result.counted)
    }

    public static func step(
        model: some ClassifierModel, inputs: Tensor, labels: [Int], optimizer: Optimizer, learningRate: Float,
        loss: SoftmaxCrossEntropy = SoftmaxCrossEntropy(), updater: EmergentWeightUpdater? = nil
    ) -> StepResult {
        let result = forwardBackward(model: model, inputs: inputs, labels: labels, loss: loss)
        // The updater reads this step's gradients against the weights they were taken at.
        updater?.observe(loss: result.loss)
        optimizer.step(model.store, learningRate: learningRate)
        return result
    }

    /// Accuracy and mean loss on a whole split, in evaluation mode.
    public static func evaluate(
        model: some ClassifierModel, data: ImageDataset, normalization: Normalization,
        batchSize: Int = 500
    ) -> (accuracy: Double, loss: Double) {
        evaluate(
            model: model, data: data, indices: Array(0..<data.count), normalization: normalization, batchSize: batchSize
        )
    }

    /// Accuracy and mean loss on the samples at `indices`, in evaluation mode.
    public static func evaluate(
        model: some ClassifierModel, data: ImageDataset, indices: [Int], normalization: Normalization,
        batchSize: Int = 500
    ) -> (accuracy: Double, loss: Double) {
        var correct = 0, lossSum = 0.0
        for start in stride(from: 0, to: indices.count, by: batchSize) {
            let batch = data.batch(indices[start..<min(start + batchSize, indices.count)], normalization: normalization)
            let result = SoftmaxCrossEntropy()(
                logits: model.forward(batch.inputs, mode: .evaluation), targets: batch.labels)
            correct += result.correct
            lossSum += result.loss * Double(result.counted)
        }
        return (Double(correct) / Double(max(indices.count, 1)), lossSum / Double(max(indices.count, 1)))
    }
}
