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
                let scratch = ThreadScratch.forCurrentThread(count: kernels.scratchCount(m, n, k))
                kernels.multiply(
                    transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, scratch, kernels.blockRows)
                return
            }
            // Rows of op(A) and C per thread: op(A)'s row r starts at a + r·lda, or at a + r
            // when A is stored transposed.
            let operands = SharedOperands(a: a, b: b, c: c)
            GemmThreads.split(m: m, threads: threads) { rowStart, rows in
                let scratch = ThreadScratch.forCurrentThread(count: kernels.scratchCount(rows, n, k))
                kernels.multiply(
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

/// One instruction set's kernels (GEMM, the peak loop, elementwise loops, pooling): the same
/// shared source compiled per module, so the signatures agree and the choice is a table lookup.
struct NativeKernels: Sendable {
    let scratchCount: @Sendable (_ m: Int, _ n: Int, _ k: Int) -> Int
    let multiply:
        @Sendable (
            _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
            _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
            _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool, _ scratch: UnsafeMutablePointer<Float>,
            _ blockRows: Int
        ) -> Void
    /// Rows of A per block, from this CPU's L2 (read once).
    let blockRows: Int

    /// The FMA-chain peak loop of the same vector width (see `FMAPeak`), its lanes and chains.
    let peakLoop: @Sendable (_ iterations: Int, _ decay: Float) -> Float
    let peakLanes: Int
    let peakChains: Int

    /// The elementwise loops and 2×2 max pooling in the same vectors (see `VectorMath`,
    /// `MaxPooling`).
    let relu: @Sendable (_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) -> Void
    let reluBackward:
        @Sendable (
            _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ count: Int
        ) -> Void
    let add: @Sendable (_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) -> Void
    let maxPool2x2:
        @Sendable (
            _ x: UnsafePointer<Float>, _ planes: Int, _ height: Int, _ width: Int, _ y: UnsafeMutablePointer<Float>,
            _ winners: UnsafeMutablePointer<Int32>
        ) -> Void

    /// The fastest family this CPU runs.
    static var detected: NativeKernels { of(.detected) }

    static func of(_ set: InstructionSet) -> NativeKernels {
        switch set {
        case .avx512: avx512
        case .avx2: avx2
        case .portable: portable
        }
    }

    static let avx512 = NativeKernels(
        scratchCount: KernelsAVX512.PackedGemm.scratchCount, multiply: KernelsAVX512.PackedGemm.multiply,
        blockRows: KernelsAVX512.PackedGemm.blockRows(level2Bytes: CPUInfo.current.level2Bytes),
        peakLoop: KernelsAVX512.FMAPeak.run, peakLanes: KernelsAVX512.FMAPeak.lanes,
        peakChains: KernelsAVX512.FMAPeak.chains,
        relu: { KernelsAVX512.Elementwise.relu($0, $1, count: $2) },
        reluBackward: { KernelsAVX512.Elementwise.reluBackward($0, $1, $2, count: $3) },
        add: { KernelsAVX512.Elementwise.add($0, into: $1, count: $2) },
        maxPool2x2: { KernelsAVX512.MaxPool2x2.forward($0, planes: $1, height: $2, width: $3, into: $4, winners: $5) })
    static let avx2 = NativeKernels(
        scratchCount: KernelsAVX2.PackedGemm.scratchCount, multiply: KernelsAVX2.PackedGemm.multiply,
        blockRows: KernelsAVX2.PackedGemm.blockRows(level2Bytes: CPUInfo.current.level2Bytes),
        peakLoop: KernelsAVX2.FMAPeak.run, peakLanes: KernelsAVX2.FMAPeak.lanes,
        peakChains: KernelsAVX2.FMAPeak.chains,
        relu: { KernelsAVX2.Elementwise.relu($0, $1, count: $2) },
        reluBackward: { KernelsAVX2.Elementwise.reluBackward($0, $1, $2, count: $3) },
        add: { KernelsAVX2.Elementwise.add($0, into: $1, count: $2) },
        maxPool2x2: { KernelsAVX2.MaxPool2x2.forward($0, planes: $1, height: $2, width: $3, into: $4, winners: $5) })
    static let portable = NativeKernels(
        scratchCount: KernelsPortable.PackedGemm.scratchCount, multiply: KernelsPortable.PackedGemm.multiply,
        blockRows: KernelsPortable.PackedGemm.blockRows(level2Bytes: CPUInfo.current.level2Bytes),
        peakLoop: KernelsPortable.FMAPeak.run, peakLanes: KernelsPortable.FMAPeak.lanes,
        peakChains: KernelsPortable.FMAPeak.chains,
        relu: { KernelsPortable.Elementwise.relu($0, $1, count: $2) },
        reluBackward: { KernelsPortable.Elementwise.reluBackward($0, $1, $2, count: $3) },
        add: { KernelsPortable.Elementwise.add($0, into: $1, count: $2) },
        maxPool2x2: { KernelsPortable.MaxPool2x2.forward($0, planes: $1, height: $2, width: $3, into: $4, winners: $5) }
    )
}

extension Gemm {
    /// The vector lanes and independent chains of the native kernels' FMA peak loop; nil for
    /// OpenBLAS.
    public var peakLoopShape: (lanes: Int, chains: Int)? {
        guard case let .native(set) = backend else { return nil }
        let kernels = NativeKernels.of(set)
        return (kernels.peakLanes, kernels.peakChains)
    }

    /// Runs the FMA-chain loop of this multiplier's native kernels `iterations` rounds: its
    /// floating-point operations (a multiply and an add per lane and chain) and a value that
    /// depends on every chain; nil for OpenBLAS. (`init` checked that the CPU runs them.)
    public func runPeakLoop(iterations: Int) -> (flops: Double, result: Float)? {
        guard case let .native(set) = backend, let shape = peakLoopShape else { return nil }
        let flops = Double(iterations * shape.chains * shape.lanes * 2)
        return (flops, NativeKernels.of(set).peakLoop(iterations, 0.999_999))
    }
}
