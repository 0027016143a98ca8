import Kernels

/// 2-D convolution over NCHW images with any kernel size, stride and padding. Each image is
/// unfolded (im2col) into a [channels·kh·kw, outH·outW] matrix that stays in L2, and one GEMM
/// per image computes it: twice as fast as one GEMM over the whole batch's unfolding, which
/// spills to memory (`platform-facts.md` §1.1). Weights are [out, in, kh, kw] as in PyTorch.
public final class Conv2D: Layer, SignalSource {
    public let weight: ParameterStore.View
    public let bias: ParameterStore.View?
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernel: (height: Int, width: Int)
    public let stride: Int
    public let padding: Int
    private unowned let store: ParameterStore
    private let gemm: Gemm
    private var input = Tensor.zeros([0, 0, 0, 0])
    /// Every image's unfolding from the last forward pass, reused by backward.
    private var columns: [Float] = []
    /// The output of the last forward pass (before the activation).
    public private(set) var lastOutput = Tensor.zeros([0])
    /// Off for a model's first layer, whose input gradient nobody reads.
    public var computesInputGradient = true

    public init(_ name: String, _ inputChannels: Int, _ outputChannels: Int, kernel: Int = 3, stride: Int = 1,
                padding: Int = 1, bias: Bool = true, store: ParameterStore, gemm: Gemm = .best) {
        precondition(kernel > 0 && stride > 0 && padding >= 0, "conv needs kernel > 0, stride > 0, padding ≥ 0")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernel = (kernel, kernel)
        self.stride = stride
        self.padding = padding
        self.store = store
        self.gemm = gemm
        weight = store.register(name + ".weight", shape: [outputChannels, inputChannels, kernel, kernel], role: .weight)
        self.bias = bias ? store.register(name + ".bias", shape: [outputChannels], role: .bias) : nil
    }

    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height + 2 * padding - kernel.height) / stride + 1, (width + 2 * padding - kernel.width) / stride + 1)
    }

    private var patch: Int { inputChannels * kernel.height * kernel.width }

    public func forward(_ input: Tensor, mode: PassMode) -> Tensor {
        precondition(input.rank == 4 && input.shape[1] == inputChannels, "conv expects [batch, \(inputChannels), h, w], got \(input.shape)")
        self.input = input
        let (batch, height, width) = (input.shape[0], input.shape[2], input.shape[3])
        let (outHeight, outWidth) = outputSize(height: height, width: width)
        let positions = outHeight * outWidth
        var output = Tensor(uninitialized: [batch, outputChannels, outHeight, outWidth])
        let perImage = patch * positions
        let keepsColumns = mode != .evaluation  // a probe pass may be followed by a backward (learned inits)
        if columns.count < (keepsColumns ? batch : 1) * perImage {
            columns = Array(repeating: 0, count: (keepsColumns ? batch : 1) * perImage)
        }
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                columns.withUnsafeMutableBufferPointer { allColumns in
                    for n in 0..<batch {
                        let col = allColumns.baseAddress! + (keepsColumns ? n * perImage : 0)
                        unfold(x.baseAddress! + n * inputChannels * height * width, height: height, width: width, into: col)
                        let out = y.baseAddress! + n * outputChannels * positions
                        gemm.multiply(m: outputChannels, n: positions, k: patch, a: store.value(weight), lda: patch,
                                      b: col, ldb: positions, c: out, ldc: positions)
                        if let bias {
                            let b = store.value(bias)
                            for o in 0..<outputChannels {
                                let row = out + o * positions
                                for p in 0..<positions { row[p] += b[o] }
                            }
                        }
                    }
                }
            }
        }
        lastOutput = output
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let (batch, height, width) = (input.shape[0], input.shape[2], input.shape[3])
        let (outHeight, outWidth) = outputSize(height: height, width: width)
        let positions = outHeight * outWidth
        let perImage = patch * positions
        var inputGradient = Tensor(shape: computesInputGradient ? input.shape : [0])
        var columnGradient = [Float](repeating: 0, count: perImage)
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                columns.withUnsafeBufferPointer { allColumns in
                    columnGradient.withUnsafeMutableBufferPointer { dcol in
                            for n in 0..<batch {
                                let image = n * inputChannels * height * width
                                let col = allColumns.baseAddress! + n * perImage
                                let gradientOut = dy.baseAddress! + n * outputChannels * positions
                                // dW += dY·colᵀ   [out, positions]·[positions, patch]
                                gemm.multiply(transposeB: true, m: outputChannels, n: patch, k: positions,
                                              a: gradientOut, lda: positions, b: col, ldb: positions,
                                              c: store.gradient(weight), ldc: patch, accumulate: true)
                                if let bias {
                                    let db = store.gradient(bias)
                                    for o in 0..<outputChannels {
                                        var sum: Float = 0
                                        for p in 0..<positions { sum += gradientOut[o * positions + p] }
                                        db[o] += sum
                                    }
                                }
                                guard computesInputGradient else { continue }
                                // dcol = Wᵀ·dY   [patch, out]·[out, positions]
                                gemm.multiply(transposeA: true, m: patch, n: positions, k: outputChannels,
                                              a: store.value(weight), lda: patch, b: gradientOut, ldb: positions,
                                              c: dcol.baseAddress!, ldc: positions)
                                fold(dcol.baseAddress!, height: height, width: width, into: dx.baseAddress! + image)
                            }
                    }
                }
            }
        }
        return inputGradient
    }

    /// im2col of one image: row (c, ki, kj), column (oh, ow), zero outside the image.
    private func unfold(_ image: UnsafePointer<Float>, height: Int, width: Int, into col: UnsafeMutablePointer<Float>) {
        let (outHeight, outWidth) = outputSize(height: height, width: width)
        var row = 0
        for c in 0..<inputChannels {
            let plane = image + c * height * width
            for ki in 0..<kernel.height {
                for kj in 0..<kernel.width {
                    let target = col + row * outHeight * outWidth
                    for oh in 0..<outHeight {
                        let ih = oh * stride - padding + ki
                        let line = target + oh * outWidth
                        if ih < 0 || ih >= height {
                            line.update(repeating: 0, count: outWidth)
                            continue
                        }
                        let source = plane + ih * width
                        if stride == 1 {
                            // One contiguous run of the image row, zeros where the window hangs over an edge.
                            let first = max(0, padding - kj), last = min(outWidth, width + padding - kj)
                            line.update(repeating: 0, count: first)
                            if last > first { (line + first).update(from: source + first - padding + kj, count: last - first) }
                            if last < outWidth { (line + max(last, first)).update(repeating: 0, count: outWidth - max(last, first)) }
                            continue
                        }
                        for ow in 0..<outWidth {
                            let iw = ow * stride - padding + kj
                            line[ow] = iw >= 0 && iw < width ? source[iw] : 0
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// col2im: adds each column entry back onto the pixel it was read from.
    private func fold(_ col: UnsafePointer<Float>, height: Int, width: Int, into image: UnsafeMutablePointer<Float>) {
        let (outHeight, outWidth) = outputSize(height: height, width: width)
        var row = 0
        for c in 0..<inputChannels {
            let plane = image + c * height * width
            for ki in 0..<kernel.height {
                for kj in 0..<kernel.width {
                    let source = col + row * outHeight * outWidth
                    for oh in 0..<outHeight {
                        let ih = oh * stride - padding + ki
                        guard ih >= 0 && ih < height else { continue }
                        let target = plane + ih * width
                        let line = source + oh * outWidth
                        if stride == 1 {
                            let first = max(0, padding - kj), last = min(outWidth, width + padding - kj)
                            let shifted = target - padding + kj
                            for ow in first..<max(first, last) { shifted[ow] += line[ow] }
                            continue
                        }
                        for ow in 0..<outWidth {
                            let iw = ow * stride - padding + kj
                            if iw >= 0 && iw < width { target[iw] += line[ow] }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}
