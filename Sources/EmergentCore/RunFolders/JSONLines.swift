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

    /// The longest record a reader accepts; the writer's are a few hundred bytes.
    public static let recordLimit = 1 << 20

    /// Every complete line appended since the last call, parsed.
    public mutating func readNew() throws(RunFolderError) -> [(line: Int, value: JSONValue)] {
        var values: [(line: Int, value: JSONValue)] = []
        let path = path
        try forEachNewLine { number, bytes throws(RunFolderError) in
            values.append((number, try Self.parse(bytes, line: number, path: path)))
        }
        return values
    }

    /// Every complete line appended since the last call as a record: `fast` reads a line of
    /// the writer's own shape straight from its bytes (nil for any other shape), and any
    /// other line is parsed as JSON and given to `general`. Thousands of run folders open in
    /// seconds this way; the general path keeps every valid JSON line readable.
    public mutating func readNew<Record>(
        fast: (UnsafeRawBufferPointer) -> Record?, general: (JSONValue) throws(RunFolderError.LineProblem) -> Record
    ) throws(RunFolderError) -> [Record] {
        var records: [Record] = []
        let path = path
        try forEachNewLine { number, bytes throws(RunFolderError) in
            if let record = fast(bytes) {
                records.append(record)
                return
            }
            let value = try Self.parse(bytes, line: number, path: path)
            do throws(RunFolderError.LineProblem) { records.append(try general(value)) } catch {
                throw .corruptLine(path: path, line: number, reason: error.reason)
            }
        }
        return records
    }

    static func parse(_ bytes: UnsafeRawBufferPointer, line: Int, path: String) throws(RunFolderError) -> JSONValue {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .corruptLine(path: path, line: line, reason: "it is not UTF-8 text")
        }
        do { return try JSONParser.parse(text) } catch {
            throw .corruptLine(path: path, line: line, reason: error.message)
        }
    }

    /// Reads what was appended and hands each complete, non-blank line to `body`.
    private mutating func forEachNewLine(
        _ body: (Int, UnsafeRawBufferPointer) throws(RunFolderError) -> Void
    ) throws(RunFolderError) {
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
        hasPartialTail = false
        let result: Result<Void, RunFolderError> = data.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                let number = lineCount + 1
                let limit = Self.recordLimit
                guard let newline = raw[start..<min(raw.count, start + limit + 1)].firstIndex(of: UInt8(ascii: "\n"))
                else {
                    // A record is a few hundred bytes: a longer "line" is not one being written.
                    guard raw.count - start <= limit else {
                        return .failure(
                            .corruptLine(path: path, line: number, reason: "it runs past \(limit) bytes without ending"))
                    }
                    hasPartialTail = true
                    break
                }
                let bytes = UnsafeRawBufferPointer(rebasing: raw[start..<newline])
                if !bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) {
                    do throws(RunFolderError) { try body(number, bytes) } catch { return .failure(error) }
                }
                lineCount = number
                offset += bytes.count + 1
                start = newline + 1
            }
            return .success(())
        }
        try result.get()
    }
}
