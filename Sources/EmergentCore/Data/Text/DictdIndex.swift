/// A dictd `.index` file: one `headword \t offset \t length` line per entry, offset and
/// length in dictd's big-endian base 64.
enum DictdIndex {
    struct Entry {
        let headword: String
        let offset: Int
        let length: Int
        let line: Int
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let digitValues: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(value) }
        return table
    }()

    /// Decodes one dictd base-64 number.
    static func decodeNumber(_ text: Substring, file: String, line: Int) throws(DatasetError) -> Int {
        guard !text.isEmpty, text.utf8.count <= 10 else {
            throw .badIndexLine(
                file: file, line: line, reason: "'\(text)' is not a dictd base-64 number (1 to 10 digits)")
        }
        var value = 0
        for byte in text.utf8 {
            let digit = digitValues[Int(byte)]
            guard digit >= 0 else {
                throw .badIndexLine(
                    file: file, line: line,
                    reason: "invalid base-64 digit '\(Character(Unicode.Scalar(byte)))' in '\(text)'")
            }
            value = value * 64 + Int(digit)
        }
        return value
    }

    /// Parses the index text. Lines that do not have three tab-separated fields are skipped,
    /// as the reference extraction does; malformed numbers are errors.
    static func parse(_ bytes: [UInt8], file: String) throws(DatasetError) -> (entries: [Entry], lineCount: Int) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let bad = firstInvalidUTF8Line(bytes)
            throw .notUTF8(file: file, location: "line \(bad)")
        }
        // Python's text mode turns \r\n and \r into \n.
        let normalized =
            text.contains("\r")
            ? text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : text
        var entries: [Entry] = []
        var lineCount = 0
        for (number, line) in normalized.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            lineCount += 1
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            entries.append(
                Entry(
                    headword: String(fields[0]),
                    offset: try decodeNumber(fields[1], file: file, line: number + 1),
                    length: try decodeNumber(fields[2], file: file, line: number + 1),
                    line: number + 1))
        }
        return (entries, lineCount)
    }

    private static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int {
        var line = 1, start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            if String(validating: bytes[start..<index], as: UTF8.self) == nil { return line }
            line += 1
            start = index + 1
        }
        return line
    }
}

extension String {
    /// Replaces every occurrence of `target` (plain text, not a pattern).
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
