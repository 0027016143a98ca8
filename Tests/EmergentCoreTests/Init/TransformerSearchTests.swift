@testable import EmergentCore
import Foundation
import Testing

@Suite("Learned initializations on the transformer")
struct TransformerSearchTests {
    static let pairs = [
        TranslationPair(source: "eins", target: "one"), TranslationPair(source: "zwei", target: "two"),
        TranslationPair(source: "drei", target: "three"), TranslationPair(source: "vier", target: "four"),
    ]
    static let tokenizer = CharacterTokenizer(texts: pairs.flatMap { [$0.source, $0.target] })

    @Test("sentence pairs encode as the reference; slicing and joining give the batch back")
    func translationBatch() throws {
        let batch = TranslationBatch(pairs: Self.pairs, tokenizer: Self.tokenizer, length: 5)
        let one = try Self.tokenizer.encode("one", maximumLength: 6).tokens
        let eins = try Self.tokenizer.encode("eins", maximumLength: 6).tokens
        #expect(Array(batch.source.tokens[0..<5]) == Array(eins.dropFirst()))  // no BOS
        #expect(Array(batch.targetInput.tokens[0..<5]) == [1] + one[1...3] + [0])  // BOS + text, EOS → padding
        #expect(Array(batch.targetOutput[0..<5]) == one.dropFirst().map(Int.init))  // text + EOS + padding
        // "three" is cut to 4 characters; EOS is kept.
        #expect(batch.targetOutput[10..<15].last == Int(CharacterTokenizer.end))
        #expect(batch.samples(0..<1).followed(by: batch.samples(1..<4)) == batch)
        #expect(batch.samples(2..<3) == TranslationBatch(pairs: [Self.pairs[2]], tokenizer: Self.tokenizer, length: 5))
        var generator = SeededRandom(seed: 1)
        let random = TranslationBatch.random(count: 3, length: 4, vocabulary: 9, using: &generator)
        #expect(
            random.sampleCount == 3
                && (random.source.tokens + random.targetInput.tokens).allSatisfy { (4..<9).contains($0) })
    }

    static func model() -> Transformer {
        let model = Transformer(
            TransformerConfiguration(
                vocabulary: Self.tokenizer.vocabularySize, width: 8, heads: 2, encoderLayers: 1,
                decoderLayers: 1, feedForward: 16, maximumLength: 8))
        var generator = SeededRandom(seed: 7)
        try! InitializerSpec(parsing: "xavier").apply(to: model, using: &generator)
        return model
    }

    @Test("GradInit (SGD and Adam targets) and NIO lower their own objective on a fixed batch of sentence pairs")
    func searchesImprove() {
        let s = TranslationBatch(pairs: Self.pairs, tokenizer: Self.tokenizer, length: 6)
        let sTilde = s.samples(0..<2).followed(by: s.samples(2..<4))
        for target in [GradInit.Target.sgd, .adam] {
            let oracle = GradientOracle(transformer: Self.model())
            var settings = GradInit.Settings()
            settings.target = target
            settings.stepSize = target == .adam ? 0.01 : 0.1
            settings.iterations = 20
            settings.batch = 4
            settings.gradientBound = 1e6
            settings.search.learningRate = 0.05
            let before = GradInit.objective(oracle, s: s, sTilde: sTilde, settings: settings).value
            GradInit.run(oracle, settings: settings, batches: { _, _ in s })
            let after = GradInit.objective(oracle, s: s, sTilde: sTilde, settings: settings).value
            #expect(after < before, "\(target): \(before) → \(after)")
        }
        let oracle = GradientOracle(transformer: Self.model())
        var settings = NIO.Settings()
        settings.iterations = 15
        settings.batch = 4
        settings.subBatches = 2
        settings.gradientBound = 1e6
        settings.search.learningRate = 0.02
        var objectives: [Double] = []
        NIO.run(oracle, settings: settings, batches: { _, _ in s }) { objectives.append($0.terms["objective"]!) }
        #expect(objectives.last! < objectives.first!, "\(objectives.first!) → \(objectives.last!)")
    }

    @Test("through the catalogue: cost reported, MetaInit on random tokens; no data is a clear error")
    func catalogue() throws {
        var generator = SeededRandom(seed: 3)
        let batches: InitializerSpec.TranslationBatches = { index, size in
            TranslationBatch(
                pairs: (0..<size).map { Self.pairs[(index * size + $0) % 4] }, tokenizer: Self.tokenizer, length: 6)
        }
        var steps = 0
        let report = try InitializerSpec(parsing: "gradinit:iterations=5,batch=4,gamma=1000000").apply(
            to: Self.model(), using: &generator, translationBatches: batches
        ) { _ in steps += 1 }
        // Each objective step: g on S, g on S̃ after the step, and an HVP (two gradients).
        #expect(steps == 5 && report.gradientEvaluations == 5 * 4 && report.layers.contains { $0.scale != 1 })
        #expect(throws: InitError.needsData(scheme: "nio")) {
            try InitializerSpec(parsing: "nio").apply(to: Self.model(), using: &generator)
        }
        let model = Self.model()
        let matrices = model.store.views.filter { $0.role == .weight && $0.shape.count >= 2 }.count
        let meta = try InitializerSpec(parsing: "metainit:iterations=2,batch=4,derivative=central").apply(
            to: model, using: &generator)
        // Per iteration: GQ (a gradient and an HVP) once, then at ± for every weight matrix.
        #expect(meta.gradientEvaluations == 2 * (3 + 2 * 3 * matrices))
        // auto picks SPSA for this many matrices: GQ once, then at ± for all of them together.
        let spsa = try InitializerSpec(parsing: "metainit:iterations=2,batch=4").apply(
            to: Self.model(), using: &generator)
        #expect(matrices > 10 && spsa.gradientEvaluations == 2 * (3 + 2 * 3))
    }

    @Test("LayerNorm gains stop at 100 times their start; weights do not")
    func normGainCap() {
        let model = Self.model()
        var settings = ScaleSearch.Settings()
        settings.maximumNormGainScale = 100
        settings.learningRate = 1
        var search = ScaleSearch(store: model.store, settings: settings)
        // ∂obj/∂α_k = ⟨−W0_k, W0_k⟩ < 0: every scale wants to grow.
        let pull = UnsafeBufferPointer(start: model.store.values, count: model.store.count).map { -$0 }
        for _ in 0..<300 { search.step(objectiveGradient: pull, constraint: false, store: model.store) }
        for (view, scale) in zip(model.store.views, search.scales) {
            if view.role == .normGain { #expect(scale == 100, "\(view.name)") }
            if view.role == .weight { #expect(scale > 100, "\(view.name)") }
        }
    }
}
