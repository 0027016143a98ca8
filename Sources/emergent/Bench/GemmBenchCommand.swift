import ArgumentParser
import Benchmarks
import EmergentCore
import Kernels

struct GemmBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Single-thread GFLOP/s of Emergent's GEMM kernels next to OpenBLAS.",
        discussion: """
            Shapes are MxKxN (C[MxN] = A[MxK]·B[KxN]). Each backend is timed in alternating \
            windows and the median is reported. Exits with status 1 if the native kernel runs \
            below \(Int(GemmBenchRun.slowKernelLimit)) GFLOP/s on a shape of at least 128 in every dimension, \
            the sign of kernels built without -target-cpu (smaller shapes are timed but not judged).
            """)

    @Option(help: "Backends to measure: both (native and OpenBLAS when installed), native, or openblas.")
    var backend: GemmBenchRun.Backends = .both

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
    }

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let shapes = try self.shapes.isEmpty ? GemmShape.standard : self.shapes.map(GemmShape.init(parsing:))
        let run = try GemmBenchRun(
            shapes: shapes, instructionSet: try kernel.instructionSet(),
            backends: backend, openblasCore: openblasCore,
            windows: timing.windows, windowSeconds: timing.seconds(default: 0.2), layout: transpose.rawValue)
        if !json { print(run.report.header) }
        let rows = run.benchmark.run { row in if !json { print(run.report.line(for: row)) } }
        if json { print(try run.report.json(rows)) } else if let peak = run.report.peakLine(rows) { print(peak) }
        // Exit status 1, not a usage error: the build is at fault.
        if let slow = run.slowKernel(rows) { throw UserError(slow) }
    }
}

extension GemmBenchRun.Backends: ExpressibleByArgument {}
