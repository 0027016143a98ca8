@testable import Kernels
import Testing

@Suite("GEMM split over threads")
struct GemmThreadsTests {
    @Test("a product split over 2 or 3 threads gives the same bits as on one, in every layout", arguments: Layout.all)
    func sameBits(layout: Layout) {
        // Large enough to split; padded strides and accumulation as in the single-thread tests.
        let shapes = [(300, 517, 290), (1031, 300, 37), (100, 400, 300)]
        for (index, shape) in shapes.enumerated() {
            for (accumulate, padding) in [(false, 0), (true, 3)] {
                let problem = GemmProblem(
                    m: shape.0, k: shape.1, n: shape.2, transposeA: layout.transposeA,
                    transposeB: layout.transposeB, accumulate: accumulate, padding: padding, seed: 7 + UInt64(index))
                for gemm in nativeBackends {
                    let alone = problem.run(on: gemm, threads: 1)
                    for threads in [2, 3] {
                        #expect(
                            GemmThreads.threads(m: shape.0, n: shape.2, k: shape.1, wanted: threads)
                                == min(threads, shape.0 / 48), "\(shape) is split")
                        #expect(
                            problem.run(on: gemm, threads: threads) == alone,
                            "\(gemm.backend) \(layout.testDescription) \(shape) on \(threads) threads")
                    }
                }
            }
        }
    }

    @Test("small products and products of few rows stay on their caller's thread")
    func smallStaysSerial() {
        #expect(GemmThreads.threads(m: 128, n: 128, k: 128, wanted: 4) == 1, "2 M multiply-adds are below 8 M")
        #expect(GemmThreads.threads(m: 60, n: 2048, k: 2048, wanted: 4) == 1, "60 rows make no two 48-row parts")
        #expect(GemmThreads.threads(m: 1024, n: 1024, k: 1024, wanted: 4) == 4)
        #expect(GemmThreads.threads(m: 1024, n: 1024, k: 1024, wanted: 1) == 1)
    }
}
