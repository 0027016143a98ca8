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
