import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole file so a reader sees the old one or the new one, never a mix: a
/// temporary file in the same folder, `fsync`, then `rename` over the target and `fsync` of
/// the folder. A kill at any point leaves at most a stray `.tmp` file, which readers ignore.
enum AtomicFile {
    static let temporarySuffix = ".tmp"

    static func write(_ bytes: [UInt8], to path: String) throws(RunFolderError) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(
            "." + (path as NSString).lastPathComponent + temporarySuffix)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(path: temporary, reason: AppendLog.lastError()) }
        let failure =
            AppendLog.writeAll(bytes, to: descriptor) ?? (fsync(descriptor) == 0 ? nil : AppendLog.lastError())
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw .writeFailed(path: path, reason: failure)
        }
        CrashPoint.passed()
        guard rename(temporary, path) == 0 else {
            let reason = AppendLog.lastError()
            unlink(temporary)
            throw .writeFailed(path: path, reason: reason)
        }
        CrashPoint.passed()
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    static func write(_ text: String, to path: String) throws(RunFolderError) {
        try write(Array(text.utf8), to: path)
    }

    /// `mkdir -p`, with the failing path in the error.
    static func makeFolder(_ path: String) throws(RunFolderError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw .writeFailed(
                path: path, reason: (error as NSError).localizedFailureReason ?? "\(error.localizedDescription)")
        }
    }
}
