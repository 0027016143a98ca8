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
    convenience init(norm name: String, _ c: TransformerConfiguration, store: ParameterStore, dropouts: DropoutFactory)
    {
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
