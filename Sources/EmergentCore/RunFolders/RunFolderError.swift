/// What is wrong with a run folder, naming the file (and the line) so nothing has to be guessed.
public enum RunFolderError: Error, Equatable, CustomStringConvertible {
    /// Why a line was refused, before the reader knows which file and line it is.
    public struct LineProblem: Error, Equatable {
        public let reason: String
        public init(_ reason: String) { self.reason = reason }
    }

    case notARunFolder(path: String, reason: String)
    case unreadable(path: String, reason: String)
    case corruptLine(path: String, line: Int, reason: String)
    case invalidConfig(path: String, reason: String)
    case noUsableCheckpoint(path: String, reasons: [String])
    case writeFailed(path: String, reason: String)
    /// Another process writes the folder (its lock is held).
    case locked(path: String, holder: String)

    public var description: String {
        switch self {
        case let .notARunFolder(path, reason): "\(path) is not a run folder: \(reason)"
        case let .unreadable(path, reason): "\(path) cannot be read: \(reason)"
        case let .corruptLine(path, line, reason): "\(path):\(line): corrupt record: \(reason)"
        case let .invalidConfig(path, reason): "\(path): \(reason)"
        case let .noUsableCheckpoint(path, reasons):
            "\(path): no checkpoint can be used" + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: "; ") + ")")
        case let .writeFailed(path, reason): "cannot write \(path): \(reason)"
        case let .locked(path, holder):
            "\(path) is being written by \(holder); wait until it ends or stop it, then try again "
                + "(view and export read the folder meanwhile)"
        }
    }
}
