/// The micro-kernel families compiled into this binary, fastest first.
public enum InstructionSet: String, Sendable, CaseIterable, CustomStringConvertible {
    case avx512
    case avx2
    case portable

    public var description: String { rawValue }

    /// The fastest family this CPU runs, read once from the flags the kernel reports (Linux
    /// lists a feature only when the OS also saves its registers, so this is safe to trust).
    public static var detected: InstructionSet { supported.first ?? .portable }

    /// Every family this CPU can run, fastest first; read once.
    public static let supported: [InstructionSet] = {
        let flags = CPUInfo.current.flags
        return allCases.filter { $0.requiredFlags.isSubset(of: flags) }
    }()

    /// CPU flags (as `/proc/cpuinfo` names them) the family's code may use.
    var requiredFlags: Set<String> {
        switch self {
        case .avx512: ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx2", "fma"]
        case .avx2: ["avx2", "fma"]
        case .portable: []
        }
    }
}

extension InstructionSet {
    /// The family a user named (`--kernel`), checked to run on this CPU; nil: the fastest.
    public static func chosen(_ name: String?) throws(Gemm.BackendError) -> InstructionSet {
        guard let name else { return .detected }
        guard let set = InstructionSet(rawValue: name) else { throw .unknown(name) }
        guard supported.contains(set) else { throw .unsupported(set) }
        return set
    }
}
