/// An MLP or CNN on an image dataset.
final class ClassifierTask: TrainingTask {
    let model: any ClassifierModel & InitTarget
    let splits: ImageDatasetSplits
    let probe: (inputs: Tensor, labels: [Int])
    let loss: SoftmaxCrossEntropy
    let evaluationIndices: [Int]
    let experimentSeed: UInt64
    let signalMap: SignalMap

    init(
        model: any ClassifierModel & InitTarget, splits: ImageDatasetSplits, data: ExperimentData, settings: RunSettings
    ) {
        self.model = model
        self.splits = splits
        probe = splits.train.batch(data.probeIndices, normalization: splits.normalization)
        loss = SoftmaxCrossEntropy(labelSmoothing: Float(settings.labelSmoothing))
        evaluationIndices = Self.evaluationSubset(
            count: splits.test.count, size: settings.evaluationSize, seed: data.experimentSeed)
        experimentSeed = data.experimentSeed
        signalMap = SignalMap(classifier: model)
    }

    var store: ParameterStore { model.store }
    var initTarget: any InitTarget { model }
    var trainCount: Int { splits.train.count }
    var statefulLayers: [any Layer] { model.statefulLayers }

    func batches(epoch: Int, batchSize: Int, epochSize: Int?, seed: UInt64) -> [[Int]] {
        Self.imageStyleBatches(
            count: splits.train.count, epoch: epoch, batchSize: batchSize, epochSize: epochSize, seed: seed)
    }

    func forwardBackward(_ indices: [Int]) -> BatchLoss {
        let batch = splits.train.batch(indices, normalization: splits.normalization)
        let result = ClassifierTraining.forwardBackward(
            model: model, inputs: batch.inputs, labels: batch.labels, loss: loss)
        return BatchLoss(loss: result.loss, correct: result.correct, counted: result.count, samples: indices.count)
    }

    func probeForwardBackward() {
        _ = ClassifierTraining.forwardBackward(
            model: model, inputs: probe.inputs, labels: probe.labels, mode: .probe, loss: loss)
    }

    func probeForward() { _ = model.forward(probe.inputs, mode: .probe) }

    func evaluate() -> [String: Double] {
        let result = ClassifierTraining.evaluate(
            model: model, data: splits.test, indices: evaluationIndices, normalization: splits.normalization)
        return ["test/loss": result.loss, "test/acc": result.accuracy]
    }

    func initialize(
        _ spec: InitializerSpec, using generator: inout SeededRandom,
        progress: (ScaleSearch.Progress) -> Void
    ) throws(InitError) -> InitReport {
        let model = model, probe = probe.inputs
        return try spec.apply(
            to: model, using: &generator, probe: { _ = model.forward(probe, mode: .probe) },
            batches: splits.searchBatches(experimentSeed: experimentSeed), progress: progress)
    }

    func makeUpdater(
        _ spec: InitializerSpec, using generator: inout SeededRandom
    ) throws(InitError) -> EmergentWeightUpdater? {
        let model = model, probe = probe.inputs
        return try spec.makeWeightUpdater(
            for: model, probe: { _ = model.forward(probe, mode: .probe) }, using: &generator)
    }
}
