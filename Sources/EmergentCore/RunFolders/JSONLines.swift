import Foundation

/// Reads a `.jsonl` log that another process may still be appending to, or that a kill cut
/// short: only complete lines count. A last line without its newline is the half-written
/// tail of an append and is left for later; a complete line that is not valid JSON is an
/// error naming the file and the line.
public struct JSONLines: Sendable {
    public let path: String
    /// Bytes consumed so far (the end of the last complete line).
    public private(set) var offset = 0
    /// Lines consumed so far.
    public private(set) var lineCount = 0
    /// Whether the file ended in a half-written line at the last read.
    public private(set) var hasPartialTail = false

    public init(path: String) { self.path = path }

    /// Every complete line appended since the last call, parsed.
    public mutating func readNew() throws(RunFolderError) -> [(line: Int, value: JSONValue)] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(
                path: path,
                reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "it does not exist")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            try handle.seek(toOffset: UInt64(offset))
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw .unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        var values: [(line: Int, value: JSONValue)] = []
        var start = data.startIndex
        hasPartialTail = false
        while start < data.endIndex {
            guard let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                hasPartialTail = true
                break
            }
            let bytes = data[start..<newline]
            let number = lineCount + 1
            if !bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) {
                guard let text = String(data: bytes, encoding: .utf8) else {
                    throw .corruptLine(path: path, line: number, reason: "it is not UTF-8 text")
                }
                do { values.append((number, try JSONParser.parse(text))) } catch {
                    throw .corruptLine(path: path, line: number, reason: error.message)
                }
            }
            lineCount = number
            offset += bytes.count + 1
            start = data.index(after: newline)
        }
        return values
    }
}
