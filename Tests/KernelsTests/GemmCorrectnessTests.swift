import Kernels
import Testing

/// Every native kernel family this CPU runs; the portable one always.
let nativeBackends = InstructionSet.supported.map { try! Gemm(backend: .native($0)) }

struct Layout: CustomTestStringConvertible, Sendable {
    let transposeA, transposeB: Bool
    var testDescription: String { (transposeA ? "T" : "N") + (transposeB ? "T" : "N") }
    static let all = [false, true].flatMap { a in [false, true].map { Layout(transposeA: a, transposeB: $0) } }
}

@Suite("GEMM against a Float64 reference")
struct GemmCorrectnessTests {
    /// Each dimension walks through 1…67 with the other two held at sizes that are not
    /// multiples of any tile, so every remainder of every micro-kernel shape is hit.
    static let raggedShapes: [(m: Int, k: Int, n: Int)] = (1...67).flatMap { size in
        [(size, 37, 29), (23, size, 41), (19, 31, size)]
    }

    @Test("ragged sizes 1…67 in each dimension", arguments: Layout.all)
    func raggedSizes(layout: Layout) {
        for (index, shape) in Self.raggedShapes.enumerated() {
            let problem = GemmProblem(
                m: shape.m, k: shape.k, n: shape.n, transposeA: layout.transposeA,
                transposeB: layout.transposeB, seed: UInt64(index))
            let reference = problem.reference()
            for gemm in nativeBackends {
                let result = problem.failures(of: problem.run(on: gemm), against: reference)
                #expect(
                    result.wrong == 0,
                    "\(gemm.backend) \(layout.testDescription) \(shape): \(result.wrong) wrong elements")
            }
        }
    }

    /// Sizes that cross every cache block: depth beyond 256 (several depth blocks, uneven
    /// split), rows beyond 512 (several row blocks even with the largest L2), columns beyond
    /// 4096 (several packed B blocks), plus padded leading dimensions and accumulation.
    @Test("large sizes, padded strides and accumulation", arguments: Layout.all)
    func largeSizes(layout: Layout) {
        Self.expectCorrect(
            [(300, 517, 290), (333, 300, 100), (129, 1030, 70), (7, 20, 4100), (170, 9, 65), (1031, 40, 37)],
            layout: layout, settings: [(false, 0), (true, 3)], seed: 1000)
    }

    /// Attention's per-head products and a classifier head: one or two vectors of columns,
    /// the last partial, with padded strides and accumulation (each lane of a partial vector
    /// stored or added alone, nothing past N written).
    @Test("narrow products: padded strides and accumulation", arguments: Layout.all)
    func narrowProducts(layout: Layout) {
        Self.expectCorrect(
            [(14, 32, 14), (14, 14, 32), (128, 256, 10), (512, 128, 10), (3, 5, 1), (33, 17, 16), (9, 256, 31)],
            layout: layout, settings: [(false, 5), (true, 3)], seed: 2000)
    }

    /// Each (M, K, N) shape under each (accumulate, padding) setting on every native family:
    /// no wrong element of C and nothing written past its logical columns.
    static func expectCorrect(
        _ shapes: [(Int, Int, Int)], layout: Layout, settings: [(accumulate: Bool, padding: Int)], seed: UInt64
    ) {
        for (index, shape) in shapes.enumerated() {
            for (accumulate, padding) in settings {
                let problem = GemmProblem(
                    m: shape.0, k: shape.1, n: shape.2, transposeA: layout.transposeA,
                    transposeB: layout.transposeB, accumulate: accumulate, padding: padding,
                    seed: seed + UInt64(index))
                let reference = problem.reference()
                for gemm in nativeBackends {
                    let result = problem.failures(of: problem.run(on: gemm), against: reference)
                    #expect(
                        result.wrong == 0,
                        "\(gemm.backend) \(layout.testDescription) \(shape) accumulate \(accumulate): \(result.wrong) wrong elements"
                    )
                    #expect(!result.paddingTouched, "\(gemm.backend) wrote outside C's logical columns")
                }
            }
        }
    }

    @Test("K = 0 writes zeros, or leaves C when accumulating")
    func emptyDepth() {
        var c: [Float] = [1, 2, 3, 4]
        let dummy: [Float] = [0]
        for gemm in nativeBackends {
            for accumulate in [true, false] {
                c = [1, 2, 3, 4]
                dummy.withUnsafeBufferPointer { d in
                    c.withUnsafeMutableBufferPointer { c in
                        gemm.multiply(
                            m: 2, n: 2, k: 0, a: d.baseAddress!, lda: 1, b: d.baseAddress!, ldb: 2,
                            c: c.baseAddress!, ldc: 2, accumulate: accumulate)
                    }
                }
                #expect(c == (accumulate ? [1, 2, 3, 4] : [0, 0, 0, 0]), "\(gemm.backend) accumulate \(accumulate)")
            }
        }
    }

    @Test("a known 2×3 by 3×2 product is exact")
    func knownProduct() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]  // [[1,2,3],[4,5,6]]
        let b: [Float] = [7, 8, 9, 10, 11, 12]  // [[7,8],[9,10],[11,12]]
        for gemm in nativeBackends {
            var c = [Float](repeating: 0, count: 4)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        gemm.multiply(
                            m: 2, n: 2, k: 3, a: a.baseAddress!, lda: 3, b: b.baseAddress!, ldb: 2,
                            c: c.baseAddress!, ldc: 2)
                    }
                }
            }
            #expect(c == [58, 64, 139, 154], "\(gemm.backend)")
        }
    }
}
