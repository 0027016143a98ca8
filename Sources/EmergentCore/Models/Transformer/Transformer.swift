import Kernels

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
    /// Every dropout of the model, in construction order (their generators are its only
    /// state besides the parameters).
    let dropouts: [Dropout]
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
        sourcePositions = PositionalEncoding(
            "src_pos", kind: c.positions, maximumLength: c.maximumLength, width: c.width, store: store)
        targetPositions = PositionalEncoding(
            "tgt_pos", kind: c.positions, maximumLength: c.maximumLength, width: c.width, store: store)
        let store = store
        let dropouts = DropoutFactory(rate: c.dropout, seed: c.seed)
        sourceDropout = dropouts.make()
        targetDropout = dropouts.make()
        encoder = (0..<c.encoderLayers).map {
            EncoderLayer("enc\($0 + 1)", c, store: store, gemm: gemm, dropouts: dropouts)
        }
        decoder = (0..<c.decoderLayers).map {
            DecoderLayer("dec\($0 + 1)", c, store: store, gemm: gemm, dropouts: dropouts)
        }
        self.dropouts = dropouts.made
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
        encoder.enumerated().map {
            (
                "enc\($0.offset + 1)",
                $0.element.attention.projections + [$0.element.feedForward.first, $0.element.feedForward.second]
            )
        }
            + decoder.enumerated().map {
                (
                    "dec\($0.offset + 1)",
                    $0.element.selfAttention.projections + $0.element.crossAttention.projections
                        + [$0.element.feedForward.first, $0.element.feedForward.second]
                )
            }
            + (head.map { [("head", [$0])] } ?? [])
    }

    /// Teacher-forced logits, [batch·targetLength, vocabulary].
    public func forward(source: TokenBatch, targetInput: TokenBatch, mode: PassMode) -> Tensor {
        self.source = source
        target = targetInput
        let sourceMask = AttentionMask(keyPadding: source.padding)
        var x = sourceDropout.forward(
            sourcePositions.forward(sourceEmbedding.forward(source.tokens), length: source.length), mode: mode)
        for layer in encoder { x = layer.forward(x, source: source, mask: sourceMask, mode: mode) }
        if let encoderNorm { x = encoderNorm.forward(x, mode: mode) }
        var y = targetDropout.forward(
            targetPositions.forward(targetEmbedding.forward(targetInput.tokens), length: targetInput.length), mode: mode
        )
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
                gemm.multiply(
                    transposeB: true, m: rows, n: configuration.vocabulary, k: configuration.width,
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
                gemm.multiply(
                    transposeA: true, m: vocabulary, n: width, k: rows, a: dz.baseAddress!, lda: vocabulary,
                    b: y.baseAddress!, ldb: width, c: store.gradient(targetEmbedding.table), ldc: width,
                    accumulate: true)
            }
            Dense.addColumnSums(of: dz.baseAddress!, rows: rows, columns: vocabulary, to: store.gradient(headBias!))
            dy.scalars.withUnsafeMutableBufferPointer { dy in
                gemm.multiply(
                    m: rows, n: width, k: vocabulary, a: dz.baseAddress!, lda: vocabulary,
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
