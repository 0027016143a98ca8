import Kernels

/// `y = x·Wᵀ + b` for `x` of shape [batch, inputs]; W is [outputs, inputs] as in PyTorch,
/// so fan-in is the second dimension and fixtures compare without transposes.
public final class Dense: Layer, SignalSource {
    public let weight: ParameterStore.View
    public let bias: ParameterStore.View?
    public let inputCount: Int
    public let outputCount: Int
    private unowned let store: ParameterStore
    private let gemm: Gemm
    private var input = Tensor.zeros([0, 0])
    /// The output of the last forward pass (the logits, for a model's last layer).
    public private(set) var lastOutput = Tensor.zeros([0, 0])

    public init(
        _ name: String, _ inputCount: Int, _ outputCount: Int, bias: Bool = true,
        store: ParameterStore, gemm: Gemm = .best
    ) {
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.store = store
        self.gemm = gemm
        weight = store.register(name + ".weight", shape: [outputCount, inputCount], role: .weight)
        self.bias = bias ? store.register(name + ".bias", shape: [outputCount], role: .bias) : nil
    }

    public func forward(_ input: Tensor, mode: PassMode) -> Tensor {
        precondition(
            input.rank == 2 && input.shape[1] == inputCount, "dense expects [batch, \(inputCount)], got \(input.shape)")
        self.input = input
        let batch = input.shape[0]
        var output = Tensor(uninitialized: [batch, outputCount])
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                gemm.multiply(
                    transposeB: true, m: batch, n: outputCount, k: inputCount,
                    a: x.baseAddress!, lda: inputCount, b: store.value(weight), ldb: inputCount,
                    c: y.baseAddress!, ldc: outputCount)
                if let bias { Dense.addBias(store.value(bias), to: y.baseAddress!, rows: batch, columns: outputCount) }
            }
        }
        lastOutput = output
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let batch = input.shape[0]
        var inputGradient = Tensor(uninitialized: [batch, inputCount])
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            input.scalars.withUnsafeBufferPointer { x in
                // dW += dyᵀ·x   [outputs, batch]·[batch, inputs]
                gemm.multiply(
                    transposeA: true, m: outputCount, n: inputCount, k: batch,
                    a: dy.baseAddress!, lda: outputCount, b: x.baseAddress!, ldb: inputCount,
                    c: store.gradient(weight), ldc: inputCount, accumulate: true)
            }
            if let bias {
                Dense.addColumnSums(of: dy.baseAddress!, rows: batch, columns: outputCount, to: store.gradient(bias))
            }
            inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                // dx = dy·W   [batch, outputs]·[outputs, inputs]
                gemm.multiply(
                    m: batch, n: inputCount, k: outputCount,
                    a: dy.baseAddress!, lda: outputCount, b: store.value(weight), ldb: inputCount,
                    c: dx.baseAddress!, ldc: inputCount)
            }
        }
        return inputGradient
    }

    static func addBias(_ bias: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        for row in 0..<rows {
            let line = y + row * columns
            for column in 0..<columns { line[column] += bias[column] }
        }
    }

    static func addColumnSums(
        of dy: UnsafePointer<Float>, rows: Int, columns: Int, to target: UnsafeMutablePointer<Float>
    ) {
        for row in 0..<rows {
            let line = dy + row * columns
            for column in 0..<columns { target[column] += line[column] }
        }
    }
}
