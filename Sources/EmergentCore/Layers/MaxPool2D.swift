/// Max pooling over NCHW images (window k, stride k by default, no padding; a partial
/// window at the edge is dropped, as PyTorch does). The backward pass routes each gradient
/// to the position that won the forward maximum (the first one on ties).
public final class MaxPool2D: Layer {
    public let size: Int
    public let stride: Int
    private var winners: [Int32] = []
    private var inputShape: [Int] = []

    public init(size: Int = 2, stride: Int? = nil) {
        precondition(size > 0, "pool size must be positive")
        self.size = size
        self.stride = stride ?? size
    }

    public func forward(_ input: Tensor, mode: PassMode) -> Tensor {
        precondition(
            input.rank == 4 && input.shape[2] >= size && input.shape[3] >= size,
            "max pool \(size)×\(size) expects [batch, channels, h ≥ \(size), w ≥ \(size)], got \(input.shape)")
        inputShape = input.shape
        let (planes, height, width) = (input.shape[0] * input.shape[1], input.shape[2], input.shape[3])
        let outHeight = (height - size) / stride + 1, outWidth = (width - size) / stride + 1
        var output = Tensor(uninitialized: [input.shape[0], input.shape[1], outHeight, outWidth])
        winners = Array(repeating: 0, count: output.count)
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                winners.withUnsafeMutableBufferPointer { winners in
                    if size == 2 && stride == 2 {
                        MaxPool2D.forward2x2(
                            x.baseAddress!, planes: planes, height: height, width: width,
                            into: y.baseAddress!, winners: winners.baseAddress!)
                        return
                    }
                    for plane in 0..<planes {
                        let base = plane * height * width
                        for oh in 0..<outHeight {
                            for ow in 0..<outWidth {
                                var best = base + oh * stride * width + ow * stride
                                for i in 0..<size {
                                    for j in 0..<size {
                                        let index = base + (oh * stride + i) * width + ow * stride + j
                                        if x[index] > x[best] { best = index }
                                    }
                                }
                                let out = (plane * outHeight + oh) * outWidth + ow
                                y[out] = x[best]
                                winners[out] = Int32(best)
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// The common 2×2, stride-2 case without the general window loops (5× faster).
    private static func forward2x2(
        _ x: UnsafePointer<Float>, planes: Int, height: Int, width: Int,
        into y: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Int32>
    ) {
        let outHeight = height / 2, outWidth = width / 2
        var out = 0
        for plane in 0..<planes {
            let base = plane * height * width
            for oh in 0..<outHeight {
                let top = base + 2 * oh * width
                for ow in 0..<outWidth {
                    // Value and index travel together so the compiler emits selects, not branches.
                    let i0 = top + 2 * ow, i2 = i0 + width
                    var value = x[i0], winner = i0
                    let v1 = x[i0 + 1], v2 = x[i2], v3 = x[i2 + 1]
                    winner = v1 > value ? i0 + 1 : winner; value = max(value, v1)
                    winner = v2 > value ? i2 : winner; value = max(value, v2)
                    winner = v3 > value ? i2 + 1 : winner; value = max(value, v3)
                    y[out] = value
                    winners[out] = Int32(winner)
                    out += 1
                }
            }
        }
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        var inputGradient = Tensor(shape: inputShape)
        inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                winners.withUnsafeBufferPointer { winners in
                    for out in 0..<winners.count { dx[Int(winners[out])] += dy[out] }
                }
            }
        }
        return inputGradient
    }
}
