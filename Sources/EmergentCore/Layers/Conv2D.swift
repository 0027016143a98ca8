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

    public init(
        _ name: String, _ inputChannels: Int, _ outputChannels: Int, kernel: Int = 3, stride: Int = 1,
        padding: Int = 1, bias: Bool = true, store: ParameterStore, gemm: Gemm = .best
    ) {
        precondition(kernel > 0 && stride > 0 && padding >= 0, "conv needs kernel > 0, stride > 0, padding ≥ 0")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernel = (kernel, kernel)
        self.stride = stride
        self.padding = padding
        self.store = store
        self.gemm = gemm
        weight = store.register(
            name + ".weight", shape: [outputChannels, inputChannels, kernel, kernel], role: .weight)
        self.bias = bias ? store.register(name + ".bias", shape: [outputChannels], role: .bias) : nil
    }

    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height + 2 * padding - kernel.height) / stride + 1, (width + 2 * padding - kernel.width) / stride + 1)
    }

    private var patch: Int { inputChannels * kernel.height * kernel.width }

    public func forward(_ input: Tensor, mode: PassMode) -> Tensor {
        precondition(
            input.rank == 4 && input.shape[1] == inputChannels,
            "conv expects [batch, \(inputChannels), h, w], got \(input.shape)")
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
                        unfold(
                            x.baseAddress! + n * inputChannels * height * width, height: height, width: width, into: col
                        )
                        let out = y.baseAddress! + n * outputChannels * positions
                        gemm.multiply(
                            m: outputChannels, n: positions, k: patch, a: store.value(weight), lda: patch,
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
        // dW = Σ dY·colᵀ packs colᵀ (patch × positions) for every image, amortised over only
        // `outputChannels` rows. When the patch is the larger side, dWᵀ = Σ col·dYᵀ reads col
        // in place and packs the smaller dYᵀ; it is summed over the batch, then added once.
        let transposedWeightGradient = patch > outputChannels
        var weightGradientT = [Float](repeating: 0, count: transposedWeightGradient ? patch * outputChannels : 0)
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                columns.withUnsafeBufferPointer { allColumns in
                    columnGradient.withUnsafeMutableBufferPointer { dcol in
                        for n in 0..<batch {
                            let image = n * inputChannels * height * width
                            let col = allColumns.baseAddress! + n * perImage
                            let gradientOut = dy.baseAddress! + n * outputChannels * positions
                            if transposedWeightGradient {
                                // dWᵀ += col·dYᵀ   [patch, positions]·[positions, out]
                                weightGradientT.withUnsafeMutableBufferPointer { dwt in
                                    gemm.multiply(
                                        transposeB: true, m: patch, n: outputChannels, k: positions,
                                        a: col, lda: positions, b: gradientOut, ldb: positions,
                                        c: dwt.baseAddress!, ldc: outputChannels, accumulate: true)
                                }
                            } else {
                                // dW += dY·colᵀ   [out, positions]·[positions, patch]
                                gemm.multiply(
                                    transposeB: true, m: outputChannels, n: patch, k: positions,
                                    a: gradientOut, lda: positions, b: col, ldb: positions,
                                    c: store.gradient(weight), ldc: patch, accumulate: true)
                            }
                            if let bias {
                                let db = store.gradient(bias)
                                for o in 0..<outputChannels {
                                    let plane = UnsafePointer(gradientOut + o * positions)
                                    db[o] += Lanes.sum(positions) { p, lanes in Lanes.load(plane + p, lanes) }
                                }
                            }
                            guard computesInputGradient else { continue }
                            // dcol = Wᵀ·dY   [patch, out]·[out, positions]
                            gemm.multiply(
                                transposeA: true, m: patch, n: positions, k: outputChannels,
                                a: store.value(weight), lda: patch, b: gradientOut, ldb: positions,
                                c: dcol.baseAddress!, ldc: positions)
                            fold(dcol.baseAddress!, height: height, width: width, into: dx.baseAddress! + image)
                        }
                    }
                }
            }
        }
        if transposedWeightGradient {
            let dw = store.gradient(weight)
            for q in 0..<patch {
                for o in 0..<outputChannels { dw[o * patch + q] += weightGradientT[q * outputChannels + o] }
            }
        }
        return inputGradient
    }

    /// Visits every line of one image's unfolding: line (c, ki, kj, oh) holds the output
    /// columns ow of patch row (c, ki, kj) at output row oh. `body` gets the line's offset in
    /// the columns, the offset of the image row it reads (nil when the window is above or
    /// below the image), the first output column as a pixel offset (ow reads pixel
    /// ow·stride + shift), and the output columns whose pixel lies inside the row.
    @inline(__always)
    private func forEachLine(height: Int, width: Int, _ body: (Int, Int?, Int, Range<Int>) -> Void) {
        let (outHeight, outWidth) = outputSize(height: height, width: width)
        var row = 0
        for c in 0..<inputChannels {
            for ki in 0..<kernel.height {
                for kj in 0..<kernel.width {
                    let shift = kj - padding
                    // 0 ≤ ow·stride + shift < width
                    let first = min(max(0, (-shift + stride - 1) / stride), outWidth)
                    let last = max(min(outWidth, (width - shift + stride - 1) / stride), first)
                    for oh in 0..<outHeight {
                        let ih = oh * stride - padding + ki
                        let pixels = ih >= 0 && ih < height ? (c * height + ih) * width : nil
                        body((row * outHeight + oh) * outWidth, pixels, shift, first..<last)
                    }
                    row += 1
                }
            }
        }
    }

    /// Whether every patch row is the image shifted as a whole: stride 1 and an output the
    /// size of its input ("same" padding, as the reference CNN's 3×3 with padding 1). Then a
    /// patch row (c, ki, kj) is plane c moved by (ki − padding)·width + (kj − padding), one
    /// contiguous copy whose wrapped edge columns are zeroed after; line by line it was
    /// 4,032 copies of 14 floats an image for conv2, and 12 % of a CNN step with `fold`.
    private func shiftsWholePlanes(height: Int, width: Int) -> Bool {
        stride == 1 && outputSize(height: height, width: width) == (height, width)
    }

    /// Visits every patch row (c, ki, kj) of a `shiftsWholePlanes` unfolding: `body` gets
    /// the row's offset in the columns, its pixel shift from the row's own position (plane
    /// c included), the positions that read inside the image as one span from the first
    /// valid to the last valid (edge columns of the rows between included), and the valid
    /// output rows and columns.
    @inline(__always)
    private func forEachShiftedRow(
        height: Int, width: Int, _ body: (Int, Int, Range<Int>, Range<Int>, Range<Int>) -> Void
    ) {
        let plane = height * width
        var row = 0
        for c in 0..<inputChannels {
            for ki in 0..<kernel.height {
                for kj in 0..<kernel.width {
                    let rows = max(0, padding - ki)..<min(height, height + padding - ki)
                    let columns = max(0, padding - kj)..<min(width, width + padding - kj)
                    let span =
                        rows.isEmpty || columns.isEmpty
                        ? 0..<0
                        : (rows.lowerBound * width + columns.lowerBound)..<((rows.upperBound - 1) * width
                            + columns.upperBound)
                    body(row * plane, c * plane + (ki - padding) * width + kj - padding, span, rows, columns)
                    row += 1
                }
            }
        }
    }

    /// Zeroes the entries of `line` (one patch row) in `rows` outside `columns`: pixels a
    /// whole-plane shift wrapped around from the neighbouring image row.
    @inline(__always)
    private func zeroWrappedColumns(
        _ line: UnsafeMutablePointer<Float>, width: Int, rows: Range<Int>, columns: Range<Int>
    ) {
        guard columns.count < width else { return }
        for oh in rows {
            for ow in 0..<columns.lowerBound { line[oh * width + ow] = 0 }
            for ow in columns.upperBound..<width { line[oh * width + ow] = 0 }
        }
    }

    /// im2col of one image: row (c, ki, kj), column (oh, ow), zero outside the image.
    private func unfold(_ image: UnsafePointer<Float>, height: Int, width: Int, into col: UnsafeMutablePointer<Float>) {
        if shiftsWholePlanes(height: height, width: width) {
            let plane = height * width
            forEachShiftedRow(height: height, width: width) { offset, shift, span, rows, columns in
                let line = col + offset
                line.update(repeating: 0, count: span.lowerBound)
                (line + span.lowerBound).update(from: image + shift + span.lowerBound, count: span.count)
                (line + span.upperBound).update(repeating: 0, count: plane - span.upperBound)
                zeroWrappedColumns(line, width: width, rows: rows, columns: columns)
            }
            return
        }
        let outWidth = outputSize(height: height, width: width).width
        forEachLine(height: height, width: width) { lineOffset, pixelOffset, shift, valid in
            let line = col + lineOffset
            guard let pixelOffset else { line.update(repeating: 0, count: outWidth); return }
            let source = image + pixelOffset + shift
            line.update(repeating: 0, count: valid.lowerBound)
            if stride == 1 {
                (line + valid.lowerBound).update(from: source + valid.lowerBound, count: valid.count)
            } else {
                for ow in valid { line[ow] = source[ow * stride] }
            }
            (line + valid.upperBound).update(repeating: 0, count: outWidth - valid.upperBound)
        }
    }

    /// col2im: adds each column entry back onto the pixel it was read from. The columns are
    /// scratch: a whole-plane shift zeroes their wrapped entries first, so that one
    /// contiguous add per patch row adds nothing where no pixel was read.
    private func fold(
        _ col: UnsafeMutablePointer<Float>, height: Int, width: Int, into image: UnsafeMutablePointer<Float>
    ) {
        if shiftsWholePlanes(height: height, width: width) {
            forEachShiftedRow(height: height, width: width) { offset, shift, span, rows, columns in
                let line = col + offset
                zeroWrappedColumns(line, width: width, rows: rows, columns: columns)
                VectorMath.add(line + span.lowerBound, into: image + shift + span.lowerBound, count: span.count)
            }
            return
        }
        forEachLine(height: height, width: width) { lineOffset, pixelOffset, shift, valid in
            guard let pixelOffset else { return }
            let line = col + lineOffset, target = image + pixelOffset + shift
            if stride == 1 {
                for ow in valid { target[ow] += line[ow] }
            } else {
                for ow in valid { target[ow * stride] += line[ow] }
            }
        }
    }
}
