import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A lock on an experiment or run folder, held by every process that writes it and released
/// when the process ends, however it ends. Readers (`view`, `export`, `sweep --status`)
/// never take it.
///
/// The lock is an open-file-description byte-range lock (`fcntl(F_OFD_SETLK)`) on the
/// folder's `.lock` file: the kernel drops it with the process, so a SIGKILL or a crashed
/// node leaves no stale lock to clean up, and NFS and Lustre carry byte-range locks to the
/// server, where `flock(2)` is local to one node on some of them. Unlike classic POSIX
/// locks it belongs to the open file, not the process, so two sessions in one process
/// exclude each other too.
///
/// A writer of a whole experiment (`run`, `dash`, `sweep`, a `resume` of every run) takes
/// the experiment's lock exclusively; a writer of some of its runs (a Slurm task, a
/// `resume` of named runs) takes it shared and each of its runs' locks exclusively, so
/// the tasks of one job array train side by side.
public final class FolderLock: Sendable {
    public enum Mode: Sendable { case exclusive, shared }

    public static let fileName = ".lock"
    // Linux's values (the C library exports them only with _GNU_SOURCE).
    private static let setLock: Int32 = 37  // F_OFD_SETLK
    private static let getLock: Int32 = 36  // F_OFD_GETLK

    public let folder: String
    private let descriptor: Int32

    private init(folder: String, descriptor: Int32) {
        self.folder = folder
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Takes the lock of `folder`, or refuses naming its holder; `purpose` (`resume`, `run`…)
    /// is what a refused writer is told holds it.
    public static func acquire(_ folder: String, mode: Mode, purpose: String) throws(RunFolderError) -> FolderLock {
        let path = (folder as NSString).appendingPathComponent(fileName)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(path: path, reason: AppendLog.lastError()) }
        var request = flock()
        request.l_type = Int16(mode == .exclusive ? F_WRLCK : F_RDLCK)
        request.l_whence = Int16(SEEK_SET)
        guard fcntl(descriptor, setLock, &request) == 0 else {
            let code = errno
            close(descriptor)
            guard code == EAGAIN || code == EACCES else {
                throw .writeFailed(path: path, reason: "cannot be locked: \(String(cString: strerror(code)))")
            }
            throw .locked(path: folder, holder: holder(of: folder))
        }
        if mode == .exclusive {
            // Who holds it, for the next writer's refusal (a shared lock has many holders, and
            // says so by its mode).
            let text = "emergent \(purpose) on \(HostName.current), PID \(getpid()), since "
                + ISO8601DateFormatter().string(from: Date()) + "\n"
            _ = ftruncate(descriptor, 0)
            _ = pwrite(descriptor, text, text.utf8.count, 0)
        }
        return FolderLock(folder: folder, descriptor: descriptor)
    }

    /// Whether some process holds `folder`'s lock (for readers that say a folder is live).
    public static func isHeld(_ folder: String) -> Bool {
        let descriptor = open((folder as NSString).appendingPathComponent(fileName), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var probe = flock()
        probe.l_type = Int16(F_WRLCK)
        probe.l_whence = Int16(SEEK_SET)
        return fcntl(descriptor, getLock, &probe) == 0 && probe.l_type != Int16(F_UNLCK)
    }

    /// Who holds `folder`'s lock, in words: the holder line of an exclusive holder, or, for
    /// a folder whose runs are written by several processes, the holders of its runs.
    static func holder(of folder: String) -> String {
        let written = (try? TextFile.read((folder as NSString).appendingPathComponent(fileName), limit: 4096).get())?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let runs = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            .map { (folder as NSString).appendingPathComponent($0) }.filter(isHeld)
        if !runs.isEmpty {
            let holders = runs.prefix(3).map { run in
                let line = (try? TextFile.read((run as NSString).appendingPathComponent(fileName), limit: 4096).get())?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "another process"
                return "\((run as NSString).lastPathComponent) by \(line)"
            }
            return "its runs are being written (" + holders.joined(separator: "; ")
                + (runs.count > 3 ? "; and \(runs.count - 3) more" : "") + ")"
        }
        return written.isEmpty ? "another emergent process" : written
    }
}
