@testable import EmergentCore
import Foundation
import Testing

@Suite("Transformer pieces against finite differences")
struct TransformerGradientTests {
    /// Widths below, at and across the 16-lane chunks of the vectorised rows.
    @Test("layer norm", arguments: [6, 16, 37])
    func layerNorm(features: Int) {
        let store = ParameterStore()
        let layer = LayerNorm("ln", features: features, store: store)
        GradientCheck.randomize(store, seed: 11)
        let input = LayerGradientTests.input([4, features])
        LayerGradientTests.expectSmall(GradientCheck.check(layer, store: store, input: input), "layer norm \(features)")
        // Forward against the formula in Double: (x − mean)/√(var + ε)·γ + β, row by row.
        let output = layer.forward(input, mode: .training)
        let gamma = store.tensor(layer.gain).scalars, beta = store.tensor(layer.shift).scalars
        for row in 0..<4 {
            let x = (0..<features).map { Double(input.scalars[row * features + $0]) }
            let mean = x.reduce(0, +) / Double(features)
            let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(features)
            for f in 0..<features {
                let expected = (x[f] - mean) / (variance + 1e-5).squareRoot() * Double(gamma[f]) + Double(beta[f])
                #expect(abs(Double(output.scalars[row * features + f]) - expected) < 1e-5 * max(1, abs(expected)))
            }
        }
    }

    /// Attention wrapped as a layer: self-attention over [batch·length, width] rows.
    final class SelfAttentionLayer: Layer {
        let attention: MultiHeadAttention
        let mask: AttentionMask
        init(_ attention: MultiHeadAttention, mask: AttentionMask) { self.attention = attention; self.mask = mask }
        func forward(_ input: Tensor, mode: PassMode) -> Tensor {
            attention.forward(
                queries: input, keys: input, batch: 2, queryLength: 3, keyLength: 3, mask: mask, mode: mode)
        }
        func backward(_ outputGradient: Tensor) -> Tensor {
            let (dq, dk) = attention.backward(outputGradient)
            return dq + dk
        }
    }

    @Test("self-attention without a mask, causal, and with key padding", arguments: [0, 1, 2])
    func selfAttention(maskKind: Int) {
        let store = ParameterStore()
        let attention = MultiHeadAttention("attn", width: 4, heads: 2, store: store)
        GradientCheck.randomize(store, seed: 12)
        let mask = [
            AttentionMask(), AttentionMask(causal: true),
            AttentionMask(keyPadding: [false, false, true, false, true, true]),
        ][maskKind]
        LayerGradientTests.expectSmall(
            GradientCheck.check(
                SelfAttentionLayer(attention, mask: mask), store: store, input: LayerGradientTests.input([6, 4])),
            "attention mask \(maskKind)")
    }

    @Test("masked softmax: causal rows and padded keys get zero weight, rows sum to one")
    func maskedSoftmax() {
        var scores: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        scores.withUnsafeMutableBufferPointer {
            MultiHeadAttention.maskedSoftmax(
                $0.baseAddress!, rows: 3, columns: 3, scale: 1, causal: true,
                padding: [false, true, false], paddingOffset: 0)
        }
        #expect(scores[0] == 1 && scores[1] == 0 && scores[2] == 0)
        #expect(scores[3] == 1 && scores[4] == 0)
        #expect(abs(scores[6] + scores[8] - 1) < 1e-6 && scores[7] == 0)
        #expect(abs(scores[8] / scores[6] - expf(2)) < 1e-4)
    }

    /// GELU in the feed-forward block: a ReLU kink within ±h of a pre-activation makes a
    /// central difference meaningless (errors of a few percent at ffn.l1 with ReLU). The
    /// ReLU path is checked exactly by the PyTorch fixture.
    static func smallConfiguration(
        preNorm: Bool = true, tied: Bool = false, positions: PositionalEncoding.Kind = .sinusoidal
    ) -> TransformerConfiguration {
        TransformerConfiguration(
            vocabulary: 7, width: 4, heads: 2, encoderLayers: 1, decoderLayers: 1, feedForward: 6,
            feedForwardActivation: .gelu, preNorm: preNorm, tiedOutput: tied, positions: positions, maximumLength: 8)
    }

    static let source = TokenBatch(tokens: [4, 5, 6, 0, 5, 4, 0, 0], batch: 2, length: 4)
    static let targetInput = TokenBatch(tokens: [1, 6, 4, 1, 5, 0], batch: 2, length: 3)
    static let targetOutput = [6, 4, 2, 5, 2, 0]

    /// The whole model's parameter gradients through the fused loss, by finite differences
    /// of the loss itself.
    static func checkWholeModel(_ configuration: TransformerConfiguration) -> [String: Double] {
        let model = Transformer(configuration)
        GradientCheck.randomize(model.store, seed: 13)
        let loss = SoftmaxCrossEntropy(labelSmoothing: 0.1, ignoreIndex: Int(CharacterTokenizer.padding))
        func value() -> Double {
            loss(
                logits: model.forward(source: source, targetInput: targetInput, mode: .training), targets: targetOutput
            ).loss
        }
        model.store.zeroGradients()
        let result = loss(
            logits: model.forward(source: source, targetInput: targetInput, mode: .training), targets: targetOutput)
        model.backward(result.gradient)
        var errors: [String: Double] = [:]
        for view in model.store.views {
            let analytic = model.store.gradientTensor(view).scalars
            var numeric = [Float](repeating: 0, count: view.count)
            let pointer = model.store.value(view)
            for i in 0..<view.count {
                let original = pointer[i]
                pointer[i] = original + GradientCheck.step
                let plus = value()
                pointer[i] = original - GradientCheck.step
                let minus = value()
                pointer[i] = original
                numeric[i] = Float((plus - minus) / Double(2 * GradientCheck.step))
            }
            errors[view.name] = GradientCheck.relativeError(analytic, numeric)
        }
        return errors
    }

    @Test("whole transformer: pre-LN, post-LN, tied output, learned positions", arguments: [0, 1, 2, 3])
    func wholeModel(variant: Int) {
        let configuration = [
            Self.smallConfiguration(),
            Self.smallConfiguration(preNorm: false),
            Self.smallConfiguration(tied: true),
            Self.smallConfiguration(positions: .learned),
        ][variant]
        let errors = Self.checkWholeModel(configuration)
        LayerGradientTests.expectSmall(errors, "transformer variant \(variant)")
        #expect(errors.keys.contains("dec1.cross_attn.v.weight") && errors.keys.contains("enc1.attn.q.bias"))
    }

    @Test("sinusoidal positions follow sin/cos(t / 10000^(2i/d))")
    func sinusoids() {
        let store = ParameterStore()
        let positions = PositionalEncoding("pos", kind: .sinusoidal, maximumLength: 5, width: 4, store: store)
        let y = positions.forward(Tensor.zeros([5, 4]), length: 5)
        #expect(abs(y[3, 0] - sin(3)) < 1e-6 && abs(y[3, 1] - cos(3)) < 1e-6)
        #expect(abs(y[3, 2] - Float(sin(3 / 100.0))) < 1e-6 && abs(y[3, 3] - Float(cos(3 / 100.0))) < 1e-6)
    }

    @Test("greedy decoding stops at EOS and is deterministic")
    func greedy() {
        let model = Transformer(Self.smallConfiguration())
        GradientCheck.randomize(model.store, seed: 14)
        let first = model.greedyDecode(source: Self.source, maximumLength: 6)
        #expect(first.count == 2 && first.allSatisfy { $0.count <= 6 && !$0.contains(CharacterTokenizer.end) })
        #expect(model.greedyDecode(source: Self.source, maximumLength: 6) == first)
    }
}
