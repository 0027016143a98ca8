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
        guard let name = kernel else { return .detected }
        guard let set = InstructionSet(rawValue: name) else {
            throw ValidationError(
                "unknown kernel '\(name)'; choose one of: \(InstructionSet.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        guard InstructionSet.supported.contains(set) else {
            throw ValidationError(Gemm.BackendError.unsupported(set).description)
        }
        return set
    }
}
