import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS, loaded at run time so that Emergent builds and runs without it. It serves as
/// the side-by-side reference in `emergent bench gemm` and as an optional backend.
///
/// `@unchecked Sendable`: every stored property is immutable after `init`, and the C
/// function pointers point into a library that is never unloaded.
public final class OpenBLAS: @unchecked Sendable {
    typealias SgemmFunction =
        @convention(c) (
            Int32, Int32, Int32, Int32, Int32, Int32,
            Float, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32,
            Float, UnsafeMutablePointer<Float>?, Int32
        ) -> Void
    typealias SetThreadsFunction = @convention(c) (Int32) -> Void
    typealias CoreNameFunction = @convention(c) () -> UnsafeMutablePointer<CChar>?

    /// The library file that was loaded.
    public let path: String
    /// The kernel family OpenBLAS chose, e.g. "SkylakeX" or "Prescott".
    public let coreName: String
    private let sgemm: SgemmFunction
    private let setThreads: SetThreadsFunction?

    /// Library names tried in order when no path is given.
    public static let defaultCandidates = ["libopenblas.so.0", "libopenblas.so"]

    /// The process-wide instance, loaded on first use; nil when OpenBLAS is not installed.
    /// One instance only: two BLAS libraries in one process interpose each other's symbols.
    public static let shared: OpenBLAS? = try? OpenBLAS(candidates: defaultCandidates, coreType: requestedCoreType)

    private static let coreTypeRequest = Mutex<String?>(nil)

    /// The core type `shared` loads with, set before its first use (OpenBLAS reads it once,
    /// when it loads): the kernels to compare ours against, such as Haswell for the AVX2
    /// path. Nil: SkylakeX on AVX-512 CPUs, OpenBLAS's own choice elsewhere.
    public static var requestedCoreType: String? {
        get { coreTypeRequest.withLock { $0 } }
        set { coreTypeRequest.withLock { $0 = newValue } }
    }

    /// The OpenBLAS core type whose kernels match one of ours in vector width.
    public static func coreType(matching set: InstructionSet, vendor: String) -> String? {
        switch set {
        case .avx512: "SkylakeX"
        case .avx2: vendor.contains("AMD") ? "Zen" : "Haswell"
        case .portable: nil
        }
    }

    public enum LoadError: Error, CustomStringConvertible {
        case notFound(tried: [String], reason: String)
        case missingSymbol(String, path: String)

        public var description: String {
            switch self {
            case let .notFound(tried, reason):
                "OpenBLAS not found (tried \(tried.joined(separator: ", ")): \(reason); "
                    + "install it with 'apt-get install libopenblas0-pthread'"
            case let .missingSymbol(symbol, path):
                "\(path) has no symbol '\(symbol)'; it is not an OpenBLAS library"
            }
        }
    }

    /// Loads the first library of `candidates` that opens, with `coreType` when given. On an
    /// AVX-512 CPU the core type is otherwise set to SkylakeX first, overriding an inherited `OPENBLAS_CORETYPE`: OpenBLAS 0.3.21
    /// reads it in its constructor and otherwise mistakes recent CPUs for Prescott (SSE3, 5×
    /// slower), and machines that export a lower type (`Haswell`) would make the reference
    /// look twice as slow as it is. `coreName` tells which kernels really ran.
    /// The library is put on one thread: callers run concurrently, one per core, and nested
    /// library threads inside concurrent callers lose throughput.
    init(candidates: [String], coreType: String? = nil) throws {
        if let coreType = coreType ?? (InstructionSet.detected == .avx512 ? "SkylakeX" : nil) {
            setenv("OPENBLAS_CORETYPE", coreType, 1)
        }
        setenv("OPENBLAS_NUM_THREADS", "1", 1)  // no idle worker threads spinning on the other core
        var lastError = "no candidate given"
        var opened: (UnsafeMutableRawPointer, String)?
        for candidate in candidates {
            if let handle = dlopen(candidate, RTLD_NOW | RTLD_LOCAL) {
                opened = (handle, candidate)
                break
            }
            lastError = dlerror().map { String(cString: $0) } ?? "dlopen failed"
        }
        guard let (handle, path) = opened else {
            throw LoadError.notFound(tried: candidates, reason: lastError)
        }
        guard let sgemmSymbol = dlsym(handle, "cblas_sgemm") else {
            throw LoadError.missingSymbol("cblas_sgemm", path: path)
        }
        self.path = path
        sgemm = unsafeBitCast(sgemmSymbol, to: SgemmFunction.self)
        setThreads = dlsym(handle, "openblas_set_num_threads").map {
            unsafeBitCast($0, to: SetThreadsFunction.self)
        }
        let coreName = dlsym(handle, "openblas_get_corename").map {
            unsafeBitCast($0, to: CoreNameFunction.self)
        }
        self.coreName = coreName?().map { String(cString: $0) } ?? "unknown"
        setThreads?(1)
    }

    /// `C = op(A)·op(B) (+ C)` for row-major matrices, same contract as `PackedGemm`.
    public func multiply(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        let rowMajor: Int32 = 101, noTranspose: Int32 = 111, transpose: Int32 = 112
        sgemm(
            rowMajor, transposeA ? transpose : noTranspose, transposeB ? transpose : noTranspose,
            Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb),
            accumulate ? 1 : 0, c, Int32(ldc))
    }
}
