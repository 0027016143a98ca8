@testable import Kernels

/// One GEMM problem with random operands, its Float64 reference result and a per-element
/// error bound.
struct GemmProblem {
    let m, k, n: Int
    let transposeA, transposeB: Bool
    let accumulate: Bool
    /// Extra columns in each stored row, so leading dimensions differ from the logical sizes.
    let padding: Int
    let a, b, initialC: [Float]

    var lda: Int { (transposeA ? m : k) + padding }
    var ldb: Int { (transposeB ? k : n) + padding }
    var ldc: Int { n + padding }

    init(
        m: Int, k: Int, n: Int, transposeA: Bool, transposeB: Bool, accumulate: Bool = false,
        padding: Int = 0, seed: UInt64
    ) {
        self.m = m
        self.k = k
        self.n = n
        self.transposeA = transposeA
        self.transposeB = transposeB
        self.accumulate = accumulate
        self.padding = padding
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func random() -> Float {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        let aRows = transposeA ? k : m, bRows = transposeB ? n : k
        let aColumns = transposeA ? m : k, bColumns = transposeB ? k : n
        a = (0..<(aRows * (aColumns + padding))).map { _ in random() }
        b = (0..<(bRows * (bColumns + padding))).map { _ in random() }
        initialC = (0..<(m * (n + padding))).map { _ in random() }
    }

    func elementOfA(_ i: Int, _ p: Int) -> Float { transposeA ? a[p * lda + i] : a[i * lda + p] }
    func elementOfB(_ p: Int, _ j: Int) -> Float { transposeB ? b[j * ldb + p] : b[p * ldb + j] }

    /// The exact product in Float64 and, per element, the forward-error bound of a Float32
    /// dot product: (k + 2)·2⁻²³·(Σ|a||b| + |c₀|), twice the textbook γₖ bound, so a correct
    /// kernel can never exceed it while a wrong element (a missed term of size ~|a||b|) does.
    func reference() -> (values: [Double], bounds: [Double]) {
        var values = [Double](repeating: 0, count: m * n)
        var bounds = [Double](repeating: 0, count: m * n)
        let unit = Double(k + 2) * 0x1p-23
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    let term = Double(elementOfA(i, p)) * Double(elementOfB(p, j))
                    sum += term
                    magnitude += abs(term)
                }
                if accumulate {
                    sum += Double(initialC[i * ldc + j])
                    magnitude += abs(Double(initialC[i * ldc + j]))
                }
                values[i * n + j] = sum
                bounds[i * n + j] = unit * magnitude + 1e-30
            }
        }
        return (values, bounds)
    }

    /// Runs the product on `gemm`; returns C, including its padding columns.
    /// C after the product on `gemm`, on `threads` threads (1: the caller's alone).
    func run(on gemm: Gemm, threads: Int = 1) -> [Float] {
        var c = initialC
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    gemm.multiply(
                        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                        a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                        c: c.baseAddress!, ldc: ldc, accumulate: accumulate, threads: threads)
                }
            }
        }
        return c
    }

    /// Indices of C elements outside their bound, and whether padding columns were touched.
    func failures(
        of c: [Float], against reference: (values: [Double], bounds: [Double])
    ) -> (wrong: Int, paddingTouched: Bool) {
        var wrong = 0
        var paddingTouched = false
        for i in 0..<m {
            for j in 0..<(n + padding) {
                if j >= n {
                    if c[i * ldc + j] != initialC[i * ldc + j] { paddingTouched = true }
                    continue
                }
                let error = abs(Double(c[i * ldc + j]) - reference.values[i * n + j])
                if !(error <= reference.bounds[i * n + j]) { wrong += 1 }
            }
        }
        return (wrong, paddingTouched)
    }
}
