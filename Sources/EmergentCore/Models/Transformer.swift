import Kernels

/// What a user sets for the encoder–decoder transformer (product spec §3).
public struct TransformerConfiguration: Sendable, Hashable, Codable {
    public var vocabulary: Int
    public var width: Int
    public var heads: Int
    public var encoderLayers: Int
    public var decoderLayers: Int
    public var feedForward: Int
    /// The feed-forward block's nonlinearity.
    public var feedForwardActivation: ActivationKind
    /// Pre-LN (x + f(LN(x)), final LayerNorms on both stacks) or post-LN (LN(x + f(x))).
    public var preNorm: Bool
    /// The output projection reuses the target embedding table (plus its own bias).
    public var tiedOutput: Bool
    public var positions: PositionalEncoding.Kind
    public var maximumLength: Int
    /// Dropout on the embeddings and on every sub-block's output before the residual add.
    public var dropout: Float
    /// Seeds the dropout masks.
    public var seed: UInt64

    /// The reference model of performance.md (vocabulary: FreeDict's 71 tokens).
    public static let reference = TransformerConfiguration(vocabulary: 71)

    public init(vocabulary: Int, width: Int = 128, heads: Int = 4, encoderLayers: Int = 2, decoderLayers: Int = 2,
                feedForward: Int = 512, feedForwardActivation: ActivationKind = .relu, preNorm: Bool = true, tiedOutput: Bool = false,
                positions: PositionalEncoding.Kind = .sinusoidal, maximumLength: Int = 32, dropout: Float = 0, seed: UInt64 = 0) {
        precondition(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got \(dropout)")
        self.vocabulary = vocabulary
        self.width = width
        self.heads = heads
        self.encoderLayers = encoderLayers
        self.decoderLayers = decoderLayers
        self.feedForward = feedForward
        self.feedForwardActivation = feedForwardActivation
        self.preNorm = preNorm
        self.tiedOutput = tiedOutput
        self.positions = positions
        self.maximumLength = maximumLength
        self.dropout = dropout
        self.seed = seed
    }
}

/// A batch of padded token sequences, row-major [batch, length].
public struct TokenBatch: Sendable, Equatable {
    public let tokens: [Int32]
    public let batch: Int
    public let length: Int

    public init(tokens: [Int32], batch: Int, length: Int) {
        precondition(tokens.count == batch * length, "\(tokens.count) tokens for \(batch)×\(length)")
        self.tokens = tokens
        self.batch = batch
        self.length = length
    }

    /// True where a token is padding.
    public var padding: [Bool] { tokens.map { $0 == CharacterTokenizer.padding } }
}

/// The position-wise feed-forward block: l2(act(l1(x))).
final class FeedForward {
    let first: Dense
    let activation: Activation
    let second: Dense

    init(_ name: String, width: Int, hidden: Int, activation: ActivationKind, store: ParameterStore, gemm: Gemm) {
        self.activation = Activation(activation)
        first = Dense(name + ".l1", width, hidden, store: store, gemm: gemm)
        second = Dense(name + ".l2", hidden, width, store: store, gemm: gemm)
    }

    func forward(_ x: Tensor, mode: PassMode) -> Tensor {
        second.forward(activation.forward(first.forward(x, mode: mode), mode: mode), mode: mode)
    }

    func backward(_ dy: Tensor) -> Tensor { first.backward(activation.backward(second.backward(dy))) }
}

/// One residual sub-block, x + f(LN(x)) (pre-LN) or LN(x + f(x)) (post-LN), with f given
/// as forward and backward closures so that attention and feed-forward share the wiring.
final class ResidualBlock {
    let norm: LayerNorm
    let preNorm: Bool
    let dropout: Dropout

    init(norm: LayerNorm, preNorm: Bool, dropout: Dropout) {
        self.norm = norm
        self.preNorm = preNorm
        self.dropout = dropout
    }

    /// A block of a transformer layer with its own LayerNorm `norm` (e.g. `enc1.ln2`).
    convenience init(norm name: String, _ c: TransformerConfiguration, store: ParameterStore, dropouts: DropoutFactory) {
        self.init(norm: LayerNorm(name, features: c.width, store: store), preNorm: c.preNorm, dropout: dropouts.make())
    }

    func forward(_ x: Tensor, mode: PassMode, _ f: (Tensor) -> Tensor) -> Tensor {
        if preNorm { return x + dropout.forward(f(norm.forward(x, mode: mode)), mode: mode) }
        return norm.forward(x + dropout.forward(f(x), mode: mode), mode: mode)
    }

    /// `fBackward` maps the gradient at f's output to the gradient at f's input.
    func backward(_ dy: Tensor, _ fBackward: (Tensor) -> Tensor) -> Tensor {
        if preNorm { return dy + norm.backward(fBackward(dropout.backward(dy))) }
        let dSum = norm.backward(dy)
        return dSum + fBackward(dropout.backward(dSum))
    }
}

/// Builds each block's dropout from one generator derived from the model's seed.
final class DropoutFactory {
    private var generator: SeededRandom
    let rate: Float
    init(rate: Float, seed: UInt64) {
        self.rate = rate
        generator = SeededRandom(seed: seed)
    }
    func make() -> Dropout { Dropout(rate: rate, generator: generator.split()) }
}

final class EncoderLayer: SignalSource {
    private(set) var lastOutput = Tensor.zeros([0])
    let attention: MultiHeadAttention
    let feedForward: FeedForward
    let attentionBlock: ResidualBlock
    let feedForwardBlock: ResidualBlock

    init(_ name: String, _ c: TransformerConfiguration, store: ParameterStore, gemm: Gemm, dropouts: DropoutFactory) {
        attentionBlock = ResidualBlock(norm: name + ".ln1", c, store: store, dropouts: dropouts)
        attention = MultiHeadAttention(name + ".attn", width: c.width, heads: c.heads, store: store, gemm: gemm)
        feedForwardBlock = ResidualBlock(norm: name + ".ln2", c, store: store, dropouts: dropouts)
        feedForward = FeedForward(name + ".ffn", width: c.width, hidden: c.feedForward, activation: c.feedForwardActivation, store: store, gemm: gemm)
    }

    func forward(_ x: Tensor, source: TokenBatch, mask: AttentionMask, mode: PassMode) -> Tensor {
        let attended = attentionBlock.forward(x, mode: mode) { h in
            attention.forward(queries: h, keys: h, batch: source.batch, queryLength: source.length,
                              keyLength: source.length, mask: mask, mode: mode)
        }
        lastOutput = feedForwardBlock.forward(attended, mode: mode) { feedForward.forward($0, mode: mode) }
        return lastOutput
    }

    func backward(_ dy: Tensor) -> Tensor {
        let dAttended = feedForwardBlock.backward(dy) { feedForward.backward($0) }
        return attentionBlock.backward(dAttended) { d in
            let (dq, dk) = attention.backward(d)
            return dq + dk
        }
    }
}

final class DecoderLayer: SignalSource {
    private(set) var lastOutput = Tensor.zeros([0])
    let selfAttention: MultiHeadAttention
    let crossAttention: MultiHeadAttention
    let feedForward: FeedForward
    let selfBlock: ResidualBlock
    let crossBlock: ResidualBlock
    let feedForwardBlock: ResidualBlock
    /// Gradient with respect to the encoder output from the last backward pass.
    private(set) var memoryGradient = Tensor.zeros([0])

    init(_ name: String, _ c: TransformerConfiguration, store: ParameterStore, gemm: Gemm, dropouts: DropoutFactory) {
        selfBlock = ResidualBlock(norm: name + ".ln1", c, store: store, dropouts: dropouts)
        selfAttention = MultiHeadAttention(name + ".self_attn", width: c.width, heads: c.heads, store: store, gemm: gemm)
        crossBlock = ResidualBlock(norm: name + ".ln2", c, store: store, dropouts: dropouts)
        crossAttention = MultiHeadAttention(name + ".cross_attn", width: c.width, heads: c.heads, store: store, gemm: gemm)
        feedForwardBlock = ResidualBlock(norm: name + ".ln3", c, store: store, dropouts: dropouts)
        feedForward = FeedForward(name + ".ffn", width: c.width, hidden: c.feedForward, activation: c.feedForwardActivation, store: store, gemm: gemm)
    }

    func forward(_ y: Tensor, memory: Tensor, target: TokenBatch, source: TokenBatch, sourceMask: AttentionMask,
                 mode: PassMode) -> Tensor {
        let selfAttended = selfBlock.forward(y, mode: mode) { h in
            selfAttention.forward(queries: h, keys: h, batch: target.batch, queryLength: target.length,
                                  keyLength: target.length, mask: AttentionMask(causal: true), mode: mode)
        }
        let crossAttended = crossBlock.forward(selfAttended, mode: mode) { h in
            crossAttention.forward(queries: h, keys: memory, batch: target.batch, queryLength: target.length,
                                   keyLength: source.length, mask: sourceMask, mode: mode)
        }
        lastOutput = feedForwardBlock.forward(crossAttended, mode: mode) { feedForward.forward($0, mode: mode) }
        return lastOutput
    }

    func backward(_ dy: Tensor) -> Tensor {
        let dCross = feedForwardBlock.backward(dy) { feedForward.backward($0) }
        let dSelf = crossBlock.backward(dCross) { d in
            let (dq, dMemory) = crossAttention.backward(d)
            memoryGradient = dMemory
            return dq
        }
        return selfBlock.backward(dSelf) { d in
            let (dq, dk) = selfAttention.backward(d)
            return dq + dk
        }
    }
}

/// The character-level encoder–decoder transformer: enc1 … encN, dec1 … decM, with stable
/// dotted names (`enc1.attn.q.weight`, `dec2.cross_attn.v.bias`, `head.weight`).
public final class Transformer {
    public let configuration: TransformerConfiguration
    public let store = ParameterStore()
    let sourceEmbedding: Embedding
    let targetEmbedding: Embedding
    let sourcePositions: PositionalEncoding
    let targetPositions: PositionalEncoding
    let encoder: [EncoderLayer]
    let decoder: [DecoderLayer]
    let encoderNorm: LayerNorm?
    let decoderNorm: LayerNorm?
    let sourceDropout: Dropout
    let targetDropout: Dropout
    /// nil when tied to the target embedding.
    let head: Dense?
    let headBias: ParameterStore.View?
    private let gemm: Gemm
    private var source = TokenBatch(tokens: [], batch: 0, length: 0)
    private var target = TokenBatch(tokens: [], batch: 0, length: 0)
    private var decoderOutput = Tensor.zeros([0])

    public init(_ c: TransformerConfiguration, gemm: Gemm = .best) {
        configuration = c
        self.gemm = gemm
        sourceEmbedding = Embedding("src_emb", vocabulary: c.vocabulary, width: c.width, store: store)
        targetEmbedding = Embedding("tgt_emb", vocabulary: c.vocabulary, width: c.width, store: store)
        sourcePositions = PositionalEncoding("src_pos", kind: c.positions, maximumLength: c.maximumLength, width: c.width, store: store)
        targetPositions = PositionalEncoding("tgt_pos", kind: c.positions, maximumLength: c.maximumLength, width: c.width, store: store)
        let store = store
        let dropouts = DropoutFactory(rate: c.dropout, seed: c.seed)
        sourceDropout = dropouts.make()
        targetDropout = dropouts.make()
        encoder = (0..<c.encoderLayers).map { EncoderLayer("enc\($0 + 1)", c, store: store, gemm: gemm, dropouts: dropouts) }
        decoder = (0..<c.decoderLayers).map { DecoderLayer("dec\($0 + 1)", c, store: store, gemm: gemm, dropouts: dropouts) }
        encoderNorm = c.preNorm ? LayerNorm("enc_ln", features: c.width, store: store) : nil
        decoderNorm = c.preNorm ? LayerNorm("dec_ln", features: c.width, store: store) : nil
        if c.tiedOutput {
            head = nil
            headBias = store.register("head.bias", shape: [c.vocabulary], role: .bias)
        } else {
            head = Dense("head", c.width, c.vocabulary, store: store, gemm: gemm)
            headBias = nil
        }
    }

    /// The weight layers in depth order, grouped by block as the emergence-promoting init
    /// indexes them: each encoder layer, each decoder layer, then the head.
    public var weightBlocks: [(name: String, layers: [Dense])] {
        encoder.enumerated().map { ("enc\($0.offset + 1)", $0.element.attention.projections + [$0.element.feedForward.first, $0.element.feedForward.second]) }
            + decoder.enumerated().map { ("dec\($0.offset + 1)", $0.element.selfAttention.projections + $0.element.crossAttention.projections
                + [$0.element.feedForward.first, $0.element.feedForward.second]) }
            + (head.map { [("head", [$0])] } ?? [])
    }

    /// Teacher-forced logits, [batch·targetLength, vocabulary].
    public func forward(source: TokenBatch, targetInput: TokenBatch, mode: PassMode) -> Tensor {
        self.source = source
        target = targetInput
        let sourceMask = AttentionMask(keyPadding: source.padding)
        var x = sourceDropout.forward(sourcePositions.forward(sourceEmbedding.forward(source.tokens), length: source.length), mode: mode)
        for layer in encoder { x = layer.forward(x, source: source, mask: sourceMask, mode: mode) }
        if let encoderNorm { x = encoderNorm.forward(x, mode: mode) }
        var y = targetDropout.forward(targetPositions.forward(targetEmbedding.forward(targetInput.tokens), length: targetInput.length), mode: mode)
        for layer in decoder {
            y = layer.forward(y, memory: x, target: targetInput, source: source, sourceMask: sourceMask, mode: mode)
        }
        if let decoderNorm { y = decoderNorm.forward(y, mode: mode) }
        decoderOutput = y
        return project(y)
    }

    private func project(_ y: Tensor) -> Tensor {
        if let head { return head.forward(y, mode: .training) }
        // Tied: logits = y·Eᵀ + b with E the target embedding table [vocabulary, width].
        let rows = y.shape[0]
        var logits = Tensor(uninitialized: [rows, configuration.vocabulary])
        y.scalars.withUnsafeBufferPointer { y in
            logits.scalars.withUnsafeMutableBufferPointer { z in
                gemm.multiply(transposeB: true, m: rows, n: configuration.vocabulary, k: configuration.width,
                              a: y.baseAddress!, lda: configuration.width, b: store.value(targetEmbedding.table),
                              ldb: configuration.width, c: z.baseAddress!, ldc: configuration.vocabulary)
                Dense.addBias(store.value(headBias!), to: z.baseAddress!, rows: rows, columns: configuration.vocabulary)
            }
        }
        return logits
    }

    private func projectBackward(_ dz: Tensor) -> Tensor {
        if let head { return head.backward(dz) }
        let rows = dz.shape[0], width = configuration.width, vocabulary = configuration.vocabulary
        var dy = Tensor(uninitialized: [rows, width])
        dz.scalars.withUnsafeBufferPointer { dz in
            decoderOutput.scalars.withUnsafeBufferPointer { y in
                gemm.multiply(transposeA: true, m: vocabulary, n: width, k: rows, a: dz.baseAddress!, lda: vocabulary,
                              b: y.baseAddress!, ldb: width, c: store.gradient(targetEmbedding.table), ldc: width, accumulate: true)
            }
            Dense.addColumnSums(of: dz.baseAddress!, rows: rows, columns: vocabulary, to: store.gradient(headBias!))
            dy.scalars.withUnsafeMutableBufferPointer { dy in
                gemm.multiply(m: rows, n: width, k: vocabulary, a: dz.baseAddress!, lda: vocabulary,
                              b: store.value(targetEmbedding.table), ldb: width, c: dy.baseAddress!, ldc: width)
            }
        }
        return dy
    }

    public func backward(_ logitsGradient: Tensor) {
        var dy = projectBackward(logitsGradient)
        if let decoderNorm { dy = decoderNorm.backward(dy) }
        var dMemory = Tensor.zeros([source.batch * source.length, configuration.width])
        for layer in decoder.reversed() {
            dy = layer.backward(dy)
            dMemory += layer.memoryGradient
        }
        dy = targetDropout.backward(dy)
        targetPositions.backward(dy)
        targetEmbedding.backward(dy)
        var dx = dMemory
        if let encoderNorm { dx = encoderNorm.backward(dx) }
        for layer in encoder.reversed() { dx = layer.backward(dx) }
        dx = sourceDropout.backward(dx)
        sourcePositions.backward(dx)
        sourceEmbedding.backward(dx)
    }

    /// Greedy decoding from BOS until EOS or `maximumLength` tokens, one sequence per source
    /// row; returns the generated tokens (without BOS, EOS and anything after it).
    public func greedyDecode(source: TokenBatch, maximumLength: Int) -> [[Int32]] {
        var generated = Array(repeating: [CharacterTokenizer.beginning], count: source.batch)
        var finished = Array(repeating: false, count: source.batch)
        for _ in 0..<min(maximumLength, configuration.maximumLength) {
            let length = generated[0].count
            let input = TokenBatch(tokens: generated.flatMap { $0 }, batch: source.batch, length: length)
            let logits = forward(source: source, targetInput: input, mode: .evaluation)
            let vocabulary = configuration.vocabulary
            for b in 0..<source.batch {
                let row = (b * length + length - 1) * vocabulary
                var best = 0
                for v in 1..<vocabulary where logits.scalars[row + v] > logits.scalars[row + best] { best = v }
                let token = finished[b] ? CharacterTokenizer.padding : Int32(best)
                if token == CharacterTokenizer.end { finished[b] = true }
                generated[b].append(token)
            }
            if finished.allSatisfy({ $0 }) { break }
        }
        return generated.map { sequence in
            Array(sequence.dropFirst().prefix { $0 != CharacterTokenizer.end && $0 != CharacterTokenizer.padding })
        }
    }
}
