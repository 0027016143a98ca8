import Kernels

/// An encoder layer: self-attention and the feed-forward block, each a residual sub-block.
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
        feedForward = FeedForward(
            name + ".ffn", width: c.width, hidden: c.feedForward, activation: c.feedForwardActivation, store: store,
            gemm: gemm)
    }

    func forward(_ x: Tensor, source: TokenBatch, mask: AttentionMask, mode: PassMode) -> Tensor {
        let attended = attentionBlock.forward(x, mode: mode) { h in
            attention.forward(
                queries: h, keys: h, batch: source.batch, queryLength: source.length,
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
