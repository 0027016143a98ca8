/// Single-threaded `C = op(A)·op(B) (+ C)` for row-major Float32 matrices: op(A) is M×K,
/// op(B) is K×N, and lda/ldb/ldc are the row strides of A, B and C as stored.
public struct Gemm: Sendable {
    public let backend: GemmBackend

    public enum BackendError: Error, CustomStringConvertible {
        case unsupported(InstructionSet)
        case unknown(String)
        case openBLASMissing

        public var description: String {
            switch self {
            case let .unsupported(set):
                "this CPU cannot run the \(set) kernels; it supports: "
                    + InstructionSet.supported.map(\.rawValue).joined(separator: ", ")
            case let .unknown(name):
                "unknown kernel '\(name)'; choose one of: \(InstructionSet.allCases.map(\.rawValue).joined(separator: ", "))"
            case .openBLASMissing:
                "OpenBLAS is not installed; install it with 'apt-get install libopenblas0-pthread'"
            }
        }
    }

    /// A multiplier on `backend`, checked to run on this machine.
    public init(backend: GemmBackend = .best) throws {
        switch backend {
        case let .native(set):
            guard InstructionSet.supported.contains(set) else { throw BackendError.unsupported(set) }
        case .openBLAS:
            guard OpenBLAS.shared != nil else { throw BackendError.openBLASMissing }
        }
        self.backend = backend
    }

    /// The fastest native kernels; cannot fail.
    public static let best = Gemm(checked: .best)

    private init(checked backend: GemmBackend) { self.backend = backend }

    /// Uses as many threads as `GemmThreads.current` allows for this size.
    public func multiply(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false
    ) {
        multiply(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c,
            ldc: ldc, accumulate: accumulate, threads: GemmThreads.threads(m: m, n: n, k: k))
    }

    /// The product on `threads` threads (1: the caller's alone).
    func multiply(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "negative GEMM size \(m)×\(k)×\(n)")
        switch backend {
        case let .native(set):
            let kernels = NativeKernels.of(set)
            guard threads > 1 else {
                let scratch = ThreadScratch.forCurrentThread(count: kernels.family.scratchCount(m, n, k))
                kernels.family.multiply(
                    transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, scratch, kernels.blockRows)
                return
            }
            // Rows of op(A) and C per thread: op(A)'s row r starts at a + r·lda, or at a + r
            // when A is stored transposed.
            let operands = SharedOperands(a: a, b: b, c: c)
            GemmThreads.split(m: m, threads: threads) { rowStart, rows in
                let scratch = ThreadScratch.forCurrentThread(count: kernels.family.scratchCount(rows, n, k))
                kernels.family.multiply(
                    transposeA, transposeB, rows, n, k, operands.a + (transposeA ? rowStart : rowStart * lda), lda,
                    operands.b, ldb, operands.c + rowStart * ldc, ldc, accumulate, scratch, kernels.blockRows)
            }
        case .openBLAS:
            // `init` checked that the library loaded.
            OpenBLAS.shared!.multiply(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
        }
    }
}

/// A product's operands handed to the threads that share it: each writes its own rows of C.
private struct SharedOperands: @unchecked Sendable {
    let a: UnsafePointer<Float>
    let b: UnsafePointer<Float>
    let c: UnsafeMutablePointer<Float>
}

extension Gemm {
    /// The vector lanes and independent chains of the native kernels' FMA peak loop; nil for
    /// OpenBLAS.
    public var peakLoopShape: (lanes: Int, chains: Int)? {
        guard case let .native(set) = backend else { return nil }
        let kernels = NativeKernels.of(set)
        return (kernels.family.peakLanes, kernels.family.peakChains)
    }

    /// Runs the FMA-chain loop of this multiplier's native kernels `iterations` rounds: its
    /// floating-point operations (a multiply and an add per lane and chain) and a value that
    /// depends on every chain; nil for OpenBLAS. (`init` checked that the CPU runs them.)
    public func runPeakLoop(iterations: Int) -> (flops: Double, result: Float)? {
        guard case let .native(set) = backend, let shape = peakLoopShape else { return nil }
        let flops = Double(iterations * shape.chains * shape.lanes * 2)
        return (flops, NativeKernels.of(set).family.peakLoop(iterations, 0.999_999))
    }
}
