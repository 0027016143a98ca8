@testable import EmergentCore
import Foundation
import Testing

@Suite("Optimizers, schedules and metrics")
struct TrainingTests {
    /// One parameter tensor [w0, w1] with gradient g, stepped by `kind` `steps` times.
    static func run(
        _ kind: OptimizerKind, gradients: [[Float]], start: [Float] = [1, -2], rate: Float = 0.1,
        clip: Float? = nil, multiplier: Float? = nil
    ) -> [Float] {
        let store = ParameterStore()
        let view = store.register("p.weight", shape: [2], role: .weight)
        store.set(view, to: Tensor(shape: [2], scalars: start))
        let optimizer = Optimizer(
            kind, learningRateMultipliers: multiplier.map { ["p.weight": $0] } ?? [:], clipNorm: clip)
        for g in gradients {
            store.gradient(view).update(from: g, count: 2)
            optimizer.step(store, learningRate: rate)
        }
        return store.tensor(view).scalars
    }

    static func close(_ a: [Float], _ b: [Double], _ tolerance: Double = 1e-6) -> Bool {
        zip(a, b).allSatisfy { abs(Double($0) - $1) <= tolerance }
    }

    @Test("SGD: plain, momentum, Nesterov, weight decay, learning-rate multiplier")
    func sgd() {
        let g: [[Float]] = [[1, 2], [3, -1]]
        #expect(Self.close(Self.run(.sgd(), gradients: g), [1 - 0.1 - 0.3, -2 - 0.2 + 0.1]))
        // v1 = g1, v2 = 0.9 v1 + g2
        let v2: [Double] = [0.9 * 1 + 3, 0.9 * 2 - 1]
        #expect(
            Self.close(Self.run(.sgd(momentum: 0.9), gradients: g), [1 - 0.1 * (1 + v2[0]), -2 - 0.1 * (2 + v2[1])]))
        // Nesterov steps g + μv: step 1: g1 + 0.9 g1; step 2: g2 + 0.9 v2
        let nesterov: [Double] = [1 - 0.1 * (1.9 + 3 + 0.9 * v2[0]), -2 - 0.1 * (3.8 - 1 + 0.9 * v2[1])]
        #expect(Self.close(Self.run(.sgd(momentum: 0.9, nesterov: true), gradients: g), nesterov))
        #expect(Self.close(Self.run(.sgd(weightDecay: 0.5), gradients: [[0, 0]]), [1 - 0.1 * 0.5, -2 + 0.1 * 1]))
        #expect(Self.close(Self.run(.sgd(), gradients: [[1, 1]], multiplier: 0.25), [1 - 0.025, -2 - 0.025]))
    }

    @Test("Adam and AdamW against their update formulas")
    func adam() {
        // Step 1 of Adam moves each weight by rate·sign(g) (bias-corrected m/√v = g/|g|).
        let first = Self.run(.adam(), gradients: [[0.5, -3]])
        #expect(Self.close(first, [1 - 0.1, -2 + 0.1], 1e-5))
        // Two steps, computed by hand.
        let (b1, b2, eps) = (0.9, 0.999, 1e-8)
        var w: [Double] = [1, -2], m: [Double] = [0, 0], v: [Double] = [0, 0]
        for (t, g) in [[1.0, 2.0], [3.0, -1.0]].enumerated() {
            for i in 0..<2 {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                let mHat = m[i] / (1 - pow(b1, Double(t + 1))), vHat = v[i] / (1 - pow(b2, Double(t + 1)))
                w[i] -= 0.1 * mHat / (vHat.squareRoot() + eps)
            }
        }
        #expect(Self.close(Self.run(.adam(), gradients: [[1, 2], [3, -1]]), w, 1e-5))
        // AdamW with zero gradient only decays: w ← w − rate·λ·w.
        #expect(Self.close(Self.run(.adamW(weightDecay: 0.1), gradients: [[0, 0]]), [1 - 0.01, -2 + 0.02], 1e-6))
    }

    @Test("gradient clipping rescales to the maximum global norm")
    func clipping() {
        // |g| = 5 → scaled to 1: step = rate·g/5.
        #expect(Self.close(Self.run(.sgd(), gradients: [[3, 4]], clip: 1), [1 - 0.06, -2 - 0.08], 1e-5))
        #expect(Self.close(Self.run(.sgd(), gradients: [[0.3, 0.4]], clip: 1), [1 - 0.03, -2 - 0.04], 1e-6))
    }

    @Test("schedules: constant, step, cosine, warmup, inverse square root")
    func schedules() {
        #expect(LearningRateSchedule(base: 0.1).rate(at: 500) == 0.1)
        let step = LearningRateSchedule(base: 1, decay: .step(every: 10, factor: 0.5))
        #expect(step.rate(at: 9) == 1 && step.rate(at: 10) == 0.5 && step.rate(at: 25) == 0.25)
        let cosine = LearningRateSchedule(base: 1, decay: .cosine(totalSteps: 100, floor: 0.1))
        #expect(
            cosine.rate(at: 0) == 1 && abs(cosine.rate(at: 50) - 0.55) < 1e-12
                && abs(cosine.rate(at: 100) - 0.1) < 1e-12)
        let warm = LearningRateSchedule(base: 2, warmupSteps: 4, decay: .inverseSquareRoot)
        #expect(warm.rate(at: 0) == 0.5 && warm.rate(at: 3) == 2)
        #expect(abs(warm.rate(at: 15) - 2 * 2 / 4) < 1e-12)  // base·√4/√16
    }

    @Test("token accuracy and exact match")
    func accuracy() {
        let references: [[Int32]] = [[5, 6, 7], [8, 9]]
        #expect(TranslationMetrics.tokenAccuracy(hypotheses: [[5, 6, 7], [8, 4]], references: references) == 4.0 / 5)
        #expect(TranslationMetrics.tokenAccuracy(hypotheses: [[5], [8, 9, 9]], references: references) == 3.0 / 5)
        #expect(TranslationMetrics.exactMatch(hypotheses: [[5, 6, 7], [8, 9, 1]], references: references) == 0.5)
    }

    @Test("corpus BLEU-4: identity, known value, brevity penalty, zero precision")
    func bleu() {
        let reference = Array("the cat sat on the mat".split(separator: " "))
        #expect(abs(TranslationMetrics.bleu(hypotheses: [reference], references: [reference]) - 1) < 1e-12)
        // Hypothesis "the cat sat on the" (5 words) against the 6-word reference: all n-grams
        // match (precisions 1), brevity penalty exp(1 − 6/5).
        let short = Array(reference.prefix(5))
        #expect(abs(TranslationMetrics.bleu(hypotheses: [short], references: [reference]) - exp(1 - 6.0 / 5)) < 1e-12)
        // Clipping: "the the the the" has unigram precision 2/4 but no matching 2-grams beyond.
        #expect(TranslationMetrics.bleu(hypotheses: [["the", "the", "the", "the"]], references: [reference]) == 0)
        // A hand-computed case: hyp "a b c d e x", ref "a b c d e f": p1 5/6, p2 4/5, p3 3/4, p4 2/3.
        let value = TranslationMetrics.bleu(hypotheses: [Array("abcdex")], references: [Array("abcdef")])
        #expect(abs(value - pow(5.0 / 6 * 4 / 5 * 3 / 4 * 2 / 3, 0.25)) < 1e-12)
    }
}

@Suite("Dropout")
struct DropoutTests {
    @Test(
        "drops the stated fraction, scales survivors, is the identity in evaluation, and back-propagates through its mask"
    )
    func dropout() {
        let layer = Dropout(rate: 0.3, generator: SeededRandom(seed: 3))
        let n = 100_000
        let x = Tensor(shape: [n], repeating: 2)
        let y = layer.forward(x, mode: .training)
        let dropped = y.scalars.filter { $0 == 0 }.count
        // Binomial(n, 0.3): 5 standard deviations.
        #expect(abs(Double(dropped) - 0.3 * Double(n)) <= 5 * (Double(n) * 0.3 * 0.7).squareRoot())
        #expect(y.scalars.allSatisfy { $0 == 0 || abs($0 - 2 / 0.7) < 1e-6 })
        let dx = layer.backward(Tensor(shape: [n], repeating: 1))
        #expect(zip(dx.scalars, y.scalars).allSatisfy { $0 == $1 / 2 })
        #expect(layer.forward(x, mode: .evaluation) == x)
        let again = Dropout(rate: 0.3, generator: SeededRandom(seed: 3)).forward(x, mode: .training)
        #expect(again == y)
    }

    @Test("a transformer with dropout trains deterministically and evaluates without it")
    func transformerDropout() {
        var configuration = TransformerGradientTests.smallConfiguration()
        configuration.dropout = 0.5
        configuration.seed = 9
        let first = Transformer(configuration), second = Transformer(configuration)
        GradientCheck.randomize(first.store, seed: 1)
        GradientCheck.randomize(second.store, seed: 1)
        let source = TransformerGradientTests.source, target = TransformerGradientTests.targetInput
        #expect(
            first.forward(source: source, targetInput: target, mode: .training)
                == second.forward(source: source, targetInput: target, mode: .training))
        let evaluated = first.forward(source: source, targetInput: target, mode: .evaluation)
        #expect(evaluated == first.forward(source: source, targetInput: target, mode: .evaluation))
        #expect(evaluated != first.forward(source: source, targetInput: target, mode: .training))
    }
}
