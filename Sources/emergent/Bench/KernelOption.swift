import ArgumentParser
import Kernels

/// `--kernel`: which native GEMM family a benchmark runs, so that a machine measures the
/// paths it does not pick by default (the AVX2 kernels on an AVX-512 CPU, say).
struct KernelOption: ParsableArguments {
    @Option(
        help:
            "Native kernel family: \(InstructionSet.allCases.map(\.rawValue).joined(separator: ", ")) (default: the fastest this CPU runs)."
    )
    var kernel: String?

    func validate() throws { _ = try instructionSet() }

    /// The chosen family, checked to run on this CPU.
    func instructionSet() throws -> InstructionSet {
        do { return try InstructionSet.chosen(kernel) } catch { throw ValidationError(error.description) }
    }
}
