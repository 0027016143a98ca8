import Kernels

/// A decoder layer: causal self-attention, cross-attention to the encoder's output, and the
/// feed-forward block, each a residual sub-block.
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
        selfAttention = MultiHeadAttention(
            name + ".self_attn", width: c.width, heads: c.heads, store: store, gemm: gemm)
        crossBlock = ResidualBlock(norm: name + ".ln2", c, store: store, dropouts: dropouts)
        crossAttention = MultiHeadAttention(
            name + ".cross_attn", width: c.width, heads: c.heads, store: store, gemm: gemm)
        feedForwardBlock = ResidualBlock(norm: name + ".ln3", c, store: store, dropouts: dropouts)
        feedForward = FeedForward(
            name + ".ffn", width: c.width, hidden: c.feedForward, activation: c.feedForwardActivation, store: store,
            gemm: gemm)
    }

    func forward(
        _ y: Tensor, memory: Tensor, target: TokenBatch, source: TokenBatch, sourceMask: AttentionMask,
        mode: PassMode
    ) -> Tensor {
        let selfAttended = selfBlock.forward(y, mode: mode) { h in
            selfAttention.forward(
                queries: h, keys: h, batch: target.batch, queryLength: target.length,
                keyLength: target.length, mask: AttentionMask(causal: true), mode: mode)
        }
        let crossAttended = crossBlock.forward(selfAttended, mode: mode) { h in
            crossAttention.forward(
                queries: h, keys: memory, batch: target.batch, queryLength: target.length,
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
