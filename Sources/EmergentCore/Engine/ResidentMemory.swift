import Foundation

/// This process's resident memory (VmRSS), as the dashboard's header and `bench runs` show it.
public enum ResidentMemory {
    /// Bytes resident now, from /proc (nil where there is none).
    public static func bytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        return parse(status: status)
    }

    /// The VmRSS line of a /proc status text, in bytes.
    static func parse(status: String) -> Int? {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }
}
