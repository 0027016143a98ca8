#if canImport(Glibc)
import Glibc
#endif

/// An append-only log file: each record goes to the kernel with one `write`, so it is on
/// disk for any reader at once and survives a kill of this process. A failed write is
/// undone (the file is cut back to its last whole record), so a full disk never leaves a
/// half record in the middle of a log.
final class AppendLog {
    let path: String
    private var descriptor: Int32
    /// Bytes of whole records in the file.
    private(set) var bytes: Int

    /// Opens (creating if needed) `path` for appending; `truncatingTo` first cuts it back
    /// (a resume drops the records of the epoch it lost).
    init(path: String, truncatingTo length: Int? = nil) throws(RunFolderError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(path: path, reason: Self.lastError()) }
        if let length {
            // Cutting back only: extending would add bytes that no record wrote.
            let size = Int(lseek(descriptor, 0, SEEK_END))
            guard length <= size else {
                close(descriptor)
                throw .writeFailed(
                    path: path, reason: "it holds \(size) bytes, fewer than the \(length) its checkpoint counts")
            }
            if ftruncate(descriptor, off_t(length)) != 0 {
                let reason = Self.lastError()
                close(descriptor)
                throw .writeFailed(path: path, reason: reason)
            }
        }
        bytes = Int(lseek(descriptor, 0, SEEK_END))
    }

    deinit { close(descriptor) }

    func append(_ text: String) throws(RunFolderError) {
        let bytes = Array(text.utf8)
        if let failure = Self.writeAll(bytes, to: descriptor) {
            // Cut back to the last whole record: what was written before stays intact.
            _ = ftruncate(descriptor, off_t(self.bytes))
            throw .writeFailed(path: path, reason: failure)
        }
        self.bytes += bytes.count
        CrashPoint.passed()
    }

    /// Writes every byte (retrying short writes and interruptions); the reason on failure.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
        bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return lastError()
                }
                if result == 0 { return "the disk accepted no bytes" }
                written += result
            }
            return nil
        }
    }

    func truncate(to length: Int) throws(RunFolderError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else {
            throw .writeFailed(path: path, reason: Self.lastError())
        }
        bytes = length
    }

    /// Forces the records to the disk (before a checkpoint that counts them).
    func sync() throws(RunFolderError) {
        guard fsync(descriptor) == 0 else { throw .writeFailed(path: path, reason: Self.lastError()) }
        CrashPoint.passed()
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
