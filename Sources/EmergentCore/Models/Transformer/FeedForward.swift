import Kernels

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
