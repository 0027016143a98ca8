#if canImport(Glibc)
import Glibc
#endif

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
        let flags = cpuFlags()
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

    /// The CPU's feature flags from `/proc/cpuinfo`; empty where that file does not exist,
    /// which selects the portable kernels.
    static func cpuFlags() -> Set<String> {
        guard let text = readSmallFile("/proc/cpuinfo") else { return [] }
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }

    private static func readSmallFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
