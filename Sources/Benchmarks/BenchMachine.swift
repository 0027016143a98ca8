import EmergentCore
import Kernels

/// The machine a benchmark ran on, named in every table and JSON document: figures from
/// different CPUs, kernels or OpenBLAS core types are not comparable.
public struct BenchMachine: Encodable, Sendable {
    public let cpu: String
    public let instructionSet: String
    public let level1DataKib: Int
    public let level2Kib: Int
    /// The OpenBLAS kernels measured beside ours, when OpenBLAS ran.
    public let openblasCore: String?

    public init(instructionSet: InstructionSet, openBLAS: OpenBLAS? = nil, cpu: CPUInfo = .current) {
        self.cpu = cpu.modelName
        self.instructionSet = instructionSet.rawValue
        level1DataKib = cpu.level1DataBytes / 1024
        level2Kib = cpu.level2Bytes / 1024
        openblasCore = openBLAS?.coreName
    }

    /// The same fields as the Encodable form, for documents built as `JSONValue`.
    public var json: JSONValue {
        .object(
            [
                ("cpu", .string(cpu)), ("instruction_set", .string(instructionSet)),
                ("level1_data_kib", .number(Double(level1DataKib))), ("level2_kib", .number(Double(level2Kib))),
            ] + (openblasCore.map { [("openblas_core", JSONValue.string($0))] } ?? []))
    }

    public var line: String {
        "CPU: \(cpu), L1d \(level1DataKib) KiB, L2 \(level2Kib) KiB a core; kernels: \(instructionSet)"
            + (openblasCore.map { "; OpenBLAS core: \($0)" } ?? "")
    }
}
