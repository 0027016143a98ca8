/// `y = x + inner(x)`: a residual connection around any shape-preserving layer.
public final class Residual: Layer, SignalSource {
    public let inner: any Layer
    public private(set) var lastOutput = Tensor.zeros([0])
    public init(_ inner: any Layer) { self.inner = inner }

    public func forward(_ input: Tensor, mode: PassMode) -> Tensor {
        lastOutput = input + inner.forward(input, mode: mode)
        return lastOutput
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        outputGradient + inner.backward(outputGradient)
    }
}
