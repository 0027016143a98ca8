#if canImport(Glibc)
import Glibc
#endif

/// What the kernels need to know of the CPU they run on: its model name (for benchmark
/// reports), its feature flags (which kernels it runs) and its cache sizes (how they block),
/// read once from `/proc/cpuinfo` and sysfs. Each part falls back to a safe default where
/// the file is missing or unreadable, so detection never fails.
public struct CPUInfo: Sendable, Equatable {
    public var modelName: String
    public var flags: Set<String>
    /// Data-cache bytes one core has at each level (L1d, L2); shared caches are not used
    /// for blocking.
    public var level1DataBytes: Int
    public var level2Bytes: Int

    /// Assumed where sysfs says nothing: the smallest caches of the x86-64 CPUs in use.
    public static let fallbackLevel1DataBytes = 32 * 1024
    public static let fallbackLevel2Bytes = 512 * 1024

    /// This machine's CPU, read once.
    public static let current: CPUInfo = {
        var info = CPUInfo(cpuinfo: readSmallFile("/proc/cpuinfo") ?? "")
        let base = "/sys/devices/system/cpu/cpu0/cache"
        var caches: [(level: String, type: String, size: String)] = []
        for index in 0..<8 {
            let folder = "\(base)/index\(index)"
            guard let level = readSmallFile(folder + "/level"), let type = readSmallFile(folder + "/type"),
                let size = readSmallFile(folder + "/size")
            else { continue }
            caches.append((level, type, size))
        }
        info.applyCaches(caches)
        return info
    }()

    /// Parses `/proc/cpuinfo` text: the first processor's `model name` and `flags`.
    public init(cpuinfo text: String) {
        modelName = "unknown CPU"
        flags = []
        level1DataBytes = Self.fallbackLevel1DataBytes
        level2Bytes = Self.fallbackLevel2Bytes
        var sawModel = false, sawFlags = false
        for line in text.split(separator: "\n") where !(sawModel && sawFlags) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingSpaces
            let value = line[line.index(after: colon)...].trimmingSpaces
            if key == "model name", !sawModel, !value.isEmpty {
                modelName = value
                sawModel = true
            } else if key == "flags", !sawFlags {
                flags = Set(value.split(separator: " ").map(String.init))
                sawFlags = true
            }
        }
    }

    /// Takes the L1 data and L2 sizes from sysfs cache entries (`level`, `type`, and `size` such
    /// as "48K" or "2048K"). A cache shared by hyperthreads counts whole: the kernels run one
    /// thread per core. Unparseable entries are ignored, keeping the fallback.
    public mutating func applyCaches(_ caches: [(level: String, type: String, size: String)]) {
        for cache in caches {
            guard let bytes = Self.bytes(cache.size), bytes > 0 else { continue }
            let type = cache.type.trimmingSpaces
            switch cache.level.trimmingSpaces {
            case "1" where type == "Data" || type == "Unified": level1DataBytes = bytes
            case "2" where type == "Unified" || type == "Data": level2Bytes = bytes
            default: continue
            }
        }
    }

    /// "48K", "2048K", "1M" or a plain byte count; nil for anything else.
    static func bytes(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces
        guard let unit = trimmed.last else { return nil }
        let multiplier: Int
        var digits = Substring(trimmed)
        switch unit {
        case "K", "k": multiplier = 1024; digits = digits.dropLast()
        case "M", "m": multiplier = 1024 * 1024; digits = digits.dropLast()
        case "G", "g": multiplier = 1024 * 1024 * 1024; digits = digits.dropLast()
        default: multiplier = 1
        }
        guard let value = Int(digits), value >= 0, value <= Int.max / multiplier else { return nil }
        return value * multiplier
    }

    static func readSmallFile(_ path: String) -> String? {
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

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines (no Foundation here).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
