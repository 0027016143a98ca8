import KernelsAVX2
import KernelsAVX512
import KernelsPortable

/// Where matrix products run.
public enum GemmBackend: Sendable, Equatable, CustomStringConvertible {
    /// Emergent's own packed kernels for one instruction set.
    case native(InstructionSet)
    /// OpenBLAS loaded at run time (see `OpenBLAS.shared`).
    case openBLAS

    /// The fastest native kernels this CPU runs.
    public static var best: GemmBackend { .native(.detected) }

    public var description: String {
        switch self {
        case let .native(instructionSet): "native-\(instructionSet)"
        case .openBLAS: "openblas"
        }
    }
}

/// Single-threaded `C = op(A)·op(B) (+ C)` for row-major Float32 matrices: op(A) is M×K,
/// op(B) is K×N, and lda/ldb/ldc are the row strides of A, B and C as stored.
public struct Gemm: Sendable {
    public let backend: GemmBackend

    public enum BackendError: Error, CustomStringConvertible {
        case unsupported(InstructionSet)
        case openBLASMissing

        public var description: String {
            switch self {
            case let .unsupported(set):
                "this CPU cannot run the \(set) kernels; it supports: "
                    + InstructionSet.supported.map(\.rawValue).joined(separator: ", ")
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

    public func multiply(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "negative GEMM size \(m)×\(k)×\(n)")
        switch backend {
        case .native(.avx512):
            let scratch = ThreadScratch.forCurrentThread(count: KernelsAVX512.PackedGemm.scratchCount(m: m, n: n, k: k))
            KernelsAVX512.PackedGemm.multiply(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, scratch: scratch)
        case .native(.avx2):
            let scratch = ThreadScratch.forCurrentThread(count: KernelsAVX2.PackedGemm.scratchCount(m: m, n: n, k: k))
            KernelsAVX2.PackedGemm.multiply(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, scratch: scratch)
        case .native(.portable):
            let scratch = ThreadScratch.forCurrentThread(count: KernelsPortable.PackedGemm.scratchCount(m: m, n: n, k: k))
            KernelsPortable.PackedGemm.multiply(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, scratch: scratch)
        case .openBLAS:
            // `init` checked that the library loaded.
            OpenBLAS.shared!.multiply(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
        }
    }
}
