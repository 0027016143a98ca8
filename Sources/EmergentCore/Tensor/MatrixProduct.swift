import Kernels

extension Tensor {
    /// `op(a)·op(b)` for matrices, on the given GEMM backend (the fastest native kernels by
    /// default).
    public static func matmul(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
        gemm: Gemm = .best
    ) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs matrices, got \(a.shape) and \(b.shape)")
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let kB = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == kB, "matmul inner sizes differ: op(a) is \(m)×\(k), op(b) is \(kB)×\(n)")
        var result = Tensor(shape: [m, n])
        a.scalars.withUnsafeBufferPointer { aBuffer in
            b.scalars.withUnsafeBufferPointer { bBuffer in
                result.scalars.withUnsafeMutableBufferPointer { cBuffer in
                    guard m > 0, n > 0 else { return }
                    // An empty operand still needs a valid pointer; k == 0 writes zeros.
                    let empty: [Float] = [0]
                    empty.withUnsafeBufferPointer { fallback in
                        gemm.multiply(
                            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                            a: aBuffer.baseAddress ?? fallback.baseAddress!, lda: Swift.max(a.shape[1], 1),
                            b: bBuffer.baseAddress ?? fallback.baseAddress!, ldb: Swift.max(b.shape[1], 1),
                            c: cBuffer.baseAddress!, ldc: n)
                    }
                }
            }
        }
        return result
    }
}
