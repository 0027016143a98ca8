import ArgumentParser
import Benchmarks
import EmergentCore
import Foundation
import Kernels

/// A plain error whose text is the whole message.
struct UserError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct GemmBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Single-thread GFLOP/s of Emergent's GEMM kernels next to OpenBLAS.",
        discussion: """
            Shapes are MxKxN (C[MxN] = A[MxK]·B[KxN]). Each backend is timed in alternating \
            windows and the median is reported. Exits with status 1 if the native kernel runs \
            below \(Int(Self.slowKernelLimit)) GFLOP/s on a shape of at least 128 in every dimension, \
            the sign of kernels built without -target-cpu (smaller shapes are timed but not judged).
            """)

    enum BackendChoice: String, ExpressibleByArgument, CaseIterable {
        case both, native, openblas
    }

    /// Below this our kernels are on the libm `fmaf` fallback, not merely slow.
    static let slowKernelLimit = 10.0
    /// Shapes smaller than this in any dimension are dominated by call overhead and noise,
    /// so their rate says nothing about how the kernels were compiled.
    static let judgedDimension = 128

    @Option(help: "Backends to measure: both (native and OpenBLAS when installed), native, or openblas.")
    var backend: BackendChoice = .both

    @OptionGroup var kernel: KernelOption

    @Option(
        help:
            "OpenBLAS core type to compare with (default: the one of the kernel's vector width: SkylakeX for avx512, Haswell or Zen for avx2)."
    )
    var openblasCore: String?

    @Option(
        name: .customLong("shape"),
        help:
            "A shape MxKxN, or N for a cube; repeatable (default: the reference MLP's layers, squares of 512 and 1024, the CNN's convolutions)."
    )
    var shapes: [String] = []

    @OptionGroup var timing: TimingOptions

    @Option(
        help: "Operand layout: NN (C = A·B), TN (Aᵀ·B, as in weight gradients), NT (A·Bᵀ, as in input gradients) or TT."
    )
    var transpose: Layout = .NN

    enum Layout: String, ExpressibleByArgument, CaseIterable {
        case NN, NT, TN, TT
        var transposesA: Bool { rawValue.first == "T" }
        var transposesB: Bool { rawValue.last == "T" }
    }

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let shapes = try self.shapes.isEmpty ? GemmShape.standard : self.shapes.map(GemmShape.init(parsing:))
        let set = try kernel.instructionSet()
        let native = try Gemm(backend: .native(set))
        var backends: [Gemm] = []
        if backend != .openblas { backends.append(native) }
        if backend != .native {
            // Before OpenBLAS first loads: it reads its core type once.
            OpenBLAS.requestedCoreType =
                openblasCore ?? OpenBLAS.coreType(matching: set, vendor: CPUInfo.current.modelName)
            if let openBLAS = try? Gemm(backend: .openBLAS) {
                backends.append(openBLAS)
            } else if backend == .openblas {
                throw UserError(Gemm.BackendError.openBLASMissing.description)
            }
        }
        let benchmark = GemmBenchmark(
            shapes: shapes, backends: backends, windows: timing.windows, windowSeconds: timing.seconds(default: 0.2),
            transposeA: transpose.transposesA, transposeB: transpose.transposesB)
        let openBLAS = backends.contains { $0.backend == .openBLAS } ? OpenBLAS.shared : nil
        // The peak of the kernel's own vector width, measured in this run like the shapes.
        let peak =
            backend == .openblas
            ? nil
            : PeakBenchmark(windows: timing.windows, windowSeconds: timing.seconds(default: 0.2)).measure(
                native)
        let report = GemmBenchReport(
            backends: backends.map(\.backend), layout: transpose.rawValue,
            machine: BenchMachine(instructionSet: set, openBLAS: openBLAS), peakGflops: peak)
        if !json { print(report.header) }
        let rows = benchmark.run { row in if !json { print(report.line(for: row)) } }
        if json { print(try report.json(rows)) }

        let judged = rows.filter { min($0.shape.m, $0.shape.n, $0.shape.k) >= Self.judgedDimension }
        if backend != .openblas, let slow = judged.first(where: { $0.gflops[0] < Self.slowKernelLimit }) {
            throw UserError(
                String(
                    format:
                        "native kernel ran at %.1f GFLOP/s on %@, below %.0f: it was probably built without -target-cpu",
                    slow.gflops[0], slow.shape.description, Self.slowKernelLimit))
        }
    }
}
