/// The encoder–decoder transformer on a translation set: teacher forcing in training,
/// teacher-forced loss and token accuracy plus greedy decoding at each epoch end.
public final class TranslationTask: TrainingTask {
    let model: Transformer
    let splits: TranslationSplits
    let tokenizer: CharacterTokenizer
    let probe: TranslationBatch
    let loss: SoftmaxCrossEntropy
    let evaluationPairs: [TranslationPair]
    let decodePairs: [TranslationPair]
    let experimentSeed: UInt64
    let signalMap: SignalMap
    /// Longest batch row, in tokens (texts longer are cut; EOS is kept).
    let maximumLength: Int

    init(
        model: Transformer, splits: TranslationSplits, tokenizer: CharacterTokenizer, data: ExperimentData,
        settings: RunSettings
    ) {
        self.model = model
        self.splits = splits
        self.tokenizer = tokenizer
        maximumLength = model.configuration.maximumLength
        experimentSeed = data.experimentSeed
        let probePairs = data.probeIndices.map { splits.train[$0] }
        probe = TranslationBatch(
            pairs: probePairs, tokenizer: tokenizer, length: Self.length(of: probePairs, limit: maximumLength))
        loss = SoftmaxCrossEntropy(
            labelSmoothing: Float(settings.labelSmoothing), ignoreIndex: Int(CharacterTokenizer.padding))
        let evaluation = Self.evaluationSubset(
            count: splits.test.count, size: settings.evaluationSize, seed: data.experimentSeed)
        evaluationPairs = evaluation.map { splits.test[$0] }
        let decode = Self.evaluationSubset(
            count: splits.test.count, size: max(settings.decodeSize, 1), seed: data.experimentSeed ^ 0x4445)
        decodePairs = settings.decodeSize == 0 ? [] : decode.map { splits.test[$0] }
        signalMap = SignalMap(transformer: model)
    }

    /// Tokens per row for `pairs`: the longest text plus BOS or EOS, within the model's limit.
    public static func length(of pairs: [TranslationPair], limit: Int) -> Int {
        let longest = pairs.map { max($0.source.unicodeScalars.count, $0.target.unicodeScalars.count) }.max() ?? 1
        return min(longest + 1, limit)
    }

    var store: ParameterStore { model.store }
    var initTarget: any InitTarget { model }
    var trainCount: Int { splits.train.count }
    var statefulLayers: [any Layer] { model.dropouts }

    /// As the reference: a shuffle, chunks of 50 batches sorted by length (less padding), then
    /// the batch order shuffled; with `epochSize`, each epoch takes a fresh random subset.
    func batches(epoch: Int, batchSize: Int, epochSize: Int?, seed: UInt64) -> [[Int]] {
        var generator = SeededRandom(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
        var order = Array(0..<splits.train.count)
        order.shuffle(using: &generator)
        order = Array(order.prefix(min(epochSize ?? order.count, order.count)))
        func key(_ index: Int) -> Int {
            let pair = splits.train[index]
            return max(pair.source.unicodeScalars.count, pair.target.unicodeScalars.count)
        }
        var batches: [[Int]] = []
        let chunk = batchSize * 50
        for start in stride(from: 0, to: order.count, by: chunk) {
            let sorted = order[start..<min(start + chunk, order.count)].map { ($0, key($0)) }.enumerated()
                .sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.map(\.element.0)
            for offset in stride(from: 0, to: sorted.count, by: batchSize) {
                batches.append(Array(sorted[offset..<min(offset + batchSize, sorted.count)]))
            }
        }
        batches.shuffle(using: &generator)
        return batches
    }

    func encode(_ pairs: [TranslationPair]) -> TranslationBatch {
        TranslationBatch(pairs: pairs, tokenizer: tokenizer, length: Self.length(of: pairs, limit: maximumLength))
    }

    func forwardBackward(_ indices: [Int]) -> BatchLoss {
        let result = TranslationTraining.forwardBackward(
            model: model, batch: encode(indices.map { splits.train[$0] }), loss: loss)
        return BatchLoss(loss: result.loss, correct: result.correct, counted: result.counted, samples: indices.count)
    }

    func probeForwardBackward() {
        _ = TranslationTraining.forwardBackward(model: model, batch: probe, mode: .probe, loss: loss)
    }

    func probeForward() { _ = model.forward(source: probe.source, targetInput: probe.targetInput, mode: .probe) }

    func evaluate() -> [String: Double] {
        var correct = 0, counted = 0, lossSum = 0.0
        let plain = SoftmaxCrossEntropy(ignoreIndex: Int(CharacterTokenizer.padding))
        for start in stride(from: 0, to: evaluationPairs.count, by: 250) {
            let batch = encode(Array(evaluationPairs[start..<min(start + 250, evaluationPairs.count)]))
            let result = plain(
                logits: model.forward(source: batch.source, targetInput: batch.targetInput, mode: .evaluation),
                targets: batch.targetOutput)
            correct += result.correct
            counted += result.counted
            lossSum += result.loss * Double(result.counted)
        }
        var metrics = [
            "test/loss": lossSum / Double(max(counted, 1)), "test/acc": Double(correct) / Double(max(counted, 1)),
        ]
        guard !decodePairs.isEmpty else { return metrics }
        var hypotheses: [[Int32]] = [], references: [[Int32]] = []
        for start in stride(from: 0, to: decodePairs.count, by: 100) {
            let pairs = Array(decodePairs[start..<min(start + 100, decodePairs.count)])
            let batch = encode(pairs)
            hypotheses += model.greedyDecode(source: batch.source, maximumLength: maximumLength)
            references += pairs.map { pair in
                let tokens = (try? tokenizer.encode(pair.target, maximumLength: maximumLength + 1).tokens) ?? []
                return Array(
                    tokens.dropFirst().prefix { $0 != CharacterTokenizer.end && $0 != CharacterTokenizer.padding })
            }
        }
        metrics["test/greedy_token_acc"] = TranslationMetrics.tokenAccuracy(
            hypotheses: hypotheses, references: references)
        metrics["test/exact_match"] = TranslationMetrics.exactMatch(hypotheses: hypotheses, references: references)
        metrics["test/bleu"] = TranslationMetrics.bleu(hypotheses: hypotheses, references: references)
        return metrics
    }

    func initialize(
        _ spec: InitializerSpec, using generator: inout SeededRandom,
        progress: (ScaleSearch.Progress) -> Void
    ) throws(InitError) -> InitReport {
        let model = model, probe = probe
        return try spec.apply(
            to: model, using: &generator,
            probe: {
                _ = model.forward(source: probe.source, targetInput: probe.targetInput, mode: .probe)
            },
            translationBatches: splits.searchBatches(
                tokenizer: tokenizer, length: probe.source.length, experimentSeed: experimentSeed),
            progress: progress)
    }

    func makeUpdater(
        _ spec: InitializerSpec, using generator: inout SeededRandom
    ) throws(InitError) -> EmergentWeightUpdater? {
        guard spec.scheme != .updater else {
            throw .notApplicable(
                scheme: "updater", model: "transformer", reason: "the updater reads classifier weight layers")
        }
        return nil
    }
}
