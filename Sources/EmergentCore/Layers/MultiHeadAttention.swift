import Foundation
import Kernels

/// Which key positions a query may attend to.
public struct AttentionMask: Sendable {
    /// Query t sees keys ≤ t (decoder self-attention).
    public var causal: Bool
    /// Per batch item and key position: true where the key is padding.
    public var keyPadding: [Bool]?

    public init(causal: Bool = false, keyPadding: [Bool]? = nil) {
        self.causal = causal
        self.keyPadding = keyPadding
    }
}

/// Multi-head scaled dot-product attention with separate Q, K, V and output projections
/// (with bias). Self-attention passes the same rows as queries and keys; cross-attention
/// passes the encoder's output as keys. Activations are [batch·length, width] matrices.
public final class MultiHeadAttention {
    public let query: Dense
    public let key: Dense
    public let value: Dense
    public let output: Dense
    public let heads: Int
    public let width: Int
    private let gemm: Gemm
    private var queries = Tensor.zeros([0]), keys = Tensor.zeros([0]), values = Tensor.zeros([0])
    /// Softmax weights, [batch, heads, queryLength, keyLength].
    private var weights: [Float] = []
    private var shape = (batch: 0, queryLength: 0, keyLength: 0)

    public init(_ name: String, width: Int, heads: Int, store: ParameterStore, gemm: Gemm = .best) {
        precondition(width % heads == 0, "width \(width) is not divisible by \(heads) heads")
        self.width = width
        self.heads = heads
        self.gemm = gemm
        query = Dense(name + ".q", width, width, store: store, gemm: gemm)
        key = Dense(name + ".k", width, width, store: store, gemm: gemm)
        value = Dense(name + ".v", width, width, store: store, gemm: gemm)
        output = Dense(name + ".o", width, width, store: store, gemm: gemm)
    }

    public var projections: [Dense] { [query, key, value, output] }
    private var headWidth: Int { width / heads }

    public func forward(
        queries queryInput: Tensor, keys keyInput: Tensor, batch: Int, queryLength: Int, keyLength: Int,
        mask: AttentionMask, mode: PassMode
    ) -> Tensor {
        shape = (batch, queryLength, keyLength)
        queries = query.forward(queryInput, mode: mode)
        keys = key.forward(keyInput, mode: mode)
        values = value.forward(keyInput, mode: mode)
        let dh = headWidth
        let scale = 1 / Float(dh).squareRoot()
        weights = Array(repeating: 0, count: batch * heads * queryLength * keyLength)
        var context = Tensor(uninitialized: [batch * queryLength, width])
        queries.scalars.withUnsafeBufferPointer { q in
            keys.scalars.withUnsafeBufferPointer { k in
                values.scalars.withUnsafeBufferPointer { v in
                    weights.withUnsafeMutableBufferPointer { a in
                        context.scalars.withUnsafeMutableBufferPointer { y in
                            for b in 0..<batch {
                                for h in 0..<heads {
                                    let scores = a.baseAddress! + ((b * heads + h) * queryLength) * keyLength
                                    let qBlock = q.baseAddress! + b * queryLength * width + h * dh
                                    let kBlock = k.baseAddress! + b * keyLength * width + h * dh
                                    // S = Q·Kᵀ   [Tq, dh]·[dh, Tk]
                                    gemm.multiply(
                                        transposeB: true, m: queryLength, n: keyLength, k: dh,
                                        a: qBlock, lda: width, b: kBlock, ldb: width, c: scores, ldc: keyLength)
                                    Self.maskedSoftmax(
                                        scores, rows: queryLength, columns: keyLength, scale: scale,
                                        causal: mask.causal, padding: mask.keyPadding, paddingOffset: b * keyLength)
                                    // Y = A·V   [Tq, Tk]·[Tk, dh]
                                    gemm.multiply(
                                        m: queryLength, n: dh, k: keyLength, a: scores, lda: keyLength,
                                        b: v.baseAddress! + b * keyLength * width + h * dh, ldb: width,
                                        c: y.baseAddress! + b * queryLength * width + h * dh, ldc: width)
                                }
                            }
                        }
                    }
                }
            }
        }
        return output.forward(context, mode: mode)
    }

    /// Softmax of scale·S per row over the keys a query may see; masked weights are 0.
    static func maskedSoftmax(
        _ s: UnsafeMutablePointer<Float>, rows: Int, columns: Int, scale: Float,
        causal: Bool, padding: [Bool]?, paddingOffset: Int
    ) {
        for row in 0..<rows {
            let line = s + row * columns
            var maximum = -Float.infinity
            for column in 0..<columns {
                let allowed = !(causal && column > row) && !(padding?[paddingOffset + column] ?? false)
                line[column] = allowed ? line[column] * scale : -.infinity
                maximum = max(maximum, line[column])
            }
            guard maximum > -.infinity else {  // nothing visible: attend to nothing
                line.update(repeating: 0, count: columns)
                continue
            }
            var sum: Float = 0
            for column in 0..<columns {
                let e = line[column] == -.infinity ? 0 : expf(line[column] - maximum)
                line[column] = e
                sum += e
            }
            let inverse = 1 / sum
            for column in 0..<columns { line[column] *= inverse }
        }
    }

    /// Returns the gradients with respect to the query rows and the key rows (for
    /// self-attention the caller adds them).
    public func backward(_ outputGradient: Tensor) -> (queries: Tensor, keys: Tensor) {
        let (batch, queryLength, keyLength) = shape
        let dh = headWidth
        let scale = 1 / Float(dh).squareRoot()
        let contextGradient = output.backward(outputGradient)
        var dQ = Tensor(uninitialized: [batch * queryLength, width])
        var dK = Tensor(uninitialized: [batch * keyLength, width])
        var dV = Tensor(uninitialized: [batch * keyLength, width])
        var dA = [Float](repeating: 0, count: queryLength * keyLength)
        queries.scalars.withUnsafeBufferPointer { q in
            keys.scalars.withUnsafeBufferPointer { k in
                values.scalars.withUnsafeBufferPointer { v in
                    weights.withUnsafeBufferPointer { a in
                        contextGradient.scalars.withUnsafeBufferPointer { dy in
                            dQ.scalars.withUnsafeMutableBufferPointer { dq in
                                dK.scalars.withUnsafeMutableBufferPointer { dk in
                                    dV.scalars.withUnsafeMutableBufferPointer { dv in
                                        dA.withUnsafeMutableBufferPointer { da in
                                            for b in 0..<batch {
                                                for h in 0..<heads {
                                                    let probabilities =
                                                        a.baseAddress! + ((b * heads + h) * queryLength) * keyLength
                                                    let dyBlock = dy.baseAddress! + b * queryLength * width + h * dh
                                                    let qOffset = b * queryLength * width + h * dh,
                                                        kOffset = b * keyLength * width + h * dh
                                                    // dV = Aᵀ·dY   [Tk, Tq]·[Tq, dh]
                                                    gemm.multiply(
                                                        transposeA: true, m: keyLength, n: dh, k: queryLength,
                                                        a: probabilities, lda: keyLength,
                                                        b: dyBlock, ldb: width, c: dv.baseAddress! + kOffset, ldc: width
                                                    )
                                                    // dA = dY·Vᵀ   [Tq, dh]·[dh, Tk]
                                                    gemm.multiply(
                                                        transposeB: true, m: queryLength, n: keyLength, k: dh,
                                                        a: dyBlock, lda: width,
                                                        b: v.baseAddress! + kOffset, ldb: width, c: da.baseAddress!,
                                                        ldc: keyLength)
                                                    // dS = scale · A ⊙ (dA − rowsum(dA ⊙ A))
                                                    for row in 0..<queryLength {
                                                        var dot: Float = 0
                                                        for column in 0..<keyLength {
                                                            dot +=
                                                                da[row * keyLength + column]
                                                                * probabilities[row * keyLength + column]
                                                        }
                                                        for column in 0..<keyLength {
                                                            let index = row * keyLength + column
                                                            da[index] = scale * probabilities[index] * (da[index] - dot)
                                                        }
                                                    }
                                                    // dQ = dS·K   [Tq, Tk]·[Tk, dh];   dK = dSᵀ·Q   [Tk, Tq]·[Tq, dh]
                                                    gemm.multiply(
                                                        m: queryLength, n: dh, k: keyLength, a: da.baseAddress!,
                                                        lda: keyLength,
                                                        b: k.baseAddress! + kOffset, ldb: width,
                                                        c: dq.baseAddress! + qOffset, ldc: width)
                                                    gemm.multiply(
                                                        transposeA: true, m: keyLength, n: dh, k: queryLength,
                                                        a: da.baseAddress!, lda: keyLength,
                                                        b: q.baseAddress! + qOffset, ldb: width,
                                                        c: dk.baseAddress! + kOffset, ldc: width)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let queryInputGradient = query.backward(dQ)
        var keyInputGradient = key.backward(dK)
        keyInputGradient += value.backward(dV)
        return (queryInputGradient, keyInputGradient)
    }
}
