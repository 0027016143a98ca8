import EmergentCore
import Kernels

/// `bench gemm`: the native kernels of one instruction set beside OpenBLAS of the same
/// vector width, shape by shape, with the native kernels' FMA peak measured between them;
/// and the guard that the native kernels were built with their CPU flags.
public struct GemmBenchRun {
    public enum Backends: String, Sendable, CaseIterable { case both, native, openblas }

    /// Below this our kernels are on the libm `fmaf` fallback, not merely slow.
    public static let slowKernelLimit = 10.0
    /// Shapes smaller than this in any dimension are dominated by call overhead and noise,
    /// so their rate says nothing about how the kernels were compiled.
    public static let judgedDimension = 128

    public let benchmark: GemmBenchmark
    public let report: GemmBenchReport
    private let measuresNative: Bool

    /// Loads OpenBLAS with `openblasCore` (default: the core type of the kernels' width) when
    /// it is asked for; refused when only OpenBLAS is asked for and it is not installed.
    public init(
        shapes: [GemmShape], instructionSet set: InstructionSet, backends choice: Backends, openblasCore: String?,
        windows: Int, windowSeconds: Double, layout: String
    ) throws(UserError) {
        let native: Gemm
        do { native = try Gemm(backend: .native(set)) } catch { throw UserError("\(error)") }
        var backends: [Gemm] = []
        if choice != .openblas { backends.append(native) }
        if choice != .native {
            // Before OpenBLAS first loads: it reads its core type once.
            OpenBLAS.requestedCoreType =
                openblasCore ?? OpenBLAS.coreType(matching: set, vendor: CPUInfo.current.modelName)
            if let openBLAS = try? Gemm(backend: .openBLAS) {
                backends.append(openBLAS)
            } else if choice == .openblas {
                throw UserError(Gemm.BackendError.openBLASMissing.description)
            }
        }
        // The peak of the kernels' own vector width, in windows between the products'.
        let measuresPeak = choice != .openblas && native.peakLoopShape != nil
        benchmark = GemmBenchmark(
            shapes: shapes, backends: backends, peak: measuresPeak ? native : nil, windows: windows,
            windowSeconds: windowSeconds, transposeA: layout.first == "T", transposeB: layout.last == "T")
        let openBLAS = backends.contains { $0.backend == .openBLAS } ? OpenBLAS.shared : nil
        report = GemmBenchReport(
            backends: backends.map(\.backend), layout: layout,
            machine: BenchMachine(instructionSet: set, openBLAS: openBLAS), measuresPeak: measuresPeak)
        measuresNative = choice != .openblas
    }

    /// Why the native kernels look built without their CPU flags, if they do: a judged shape
    /// below the limit.
    public func slowKernel(_ rows: [GemmBenchmark.Row]) -> String? {
        let judged = rows.filter { min($0.shape.m, $0.shape.n, $0.shape.k) >= Self.judgedDimension }
        guard measuresNative, let slow = judged.first(where: { $0.gflops[0] < Self.slowKernelLimit }) else { return nil }
        return String(
            format: "native kernel ran at %.1f GFLOP/s on %@, below %.0f: it was probably built without -target-cpu",
            slow.gflops[0], slow.shape.description, Self.slowKernelLimit)
    }
}
