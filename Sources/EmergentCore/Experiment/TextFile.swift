import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads a small text file a user or a run folder gives (an experiment, a theme, a
/// `config.json`, a `sweep.json`): a regular file, at most `limit` bytes, UTF-8. Anything
/// else is refused with the reason, before a byte past the limit is read, so a device, a
/// folder or a huge file can neither hang nor exhaust memory.
public enum TextFile {
    /// Experiment files, themes and run-folder documents are a few kilobytes; 16 MiB leaves
    /// room for hand-written sweeps without letting a stray file take the machine's memory.
    public static let defaultLimit = 16 << 20

    /// The file's text, or the reason it cannot be used.
    public static func read(_ path: String, limit: Int = defaultLimit) -> Result<String, Refusal> {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return .failure(Refusal(path: path, reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno))))
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(Refusal(path: path, reason: "it is a folder, not a file"))
        default: return .failure(Refusal(path: path, reason: "it is not a regular file (a device, a pipe or a socket)"))
        }
        guard Int(status.st_size) <= limit else {
            return .failure(Refusal(path: path, reason: "it is \(Int(status.st_size)) bytes; at most \(limit) are read"))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(Refusal(path: path, reason: "permission denied"))
        }
        defer { try? handle.close() }
        // Read one byte past the limit: a file that grew since `stat` is refused, not cut.
        let data: Data
        do { data = try handle.read(upToCount: limit + 1) ?? Data() } catch {
            return .failure(Refusal(path: path, reason: error.localizedDescription))
        }
        guard data.count <= limit else {
            return .failure(Refusal(path: path, reason: "it is more than \(limit) bytes"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(Refusal(path: path, reason: "it is not UTF-8 text"))
        }
        return .success(text)
    }

    /// Why a file was refused.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }
}
