/// A strict JSON parser (RFC 8259) that reports the line and column of the first error,
/// refuses repeated keys, and keeps each number's text. Foundation's parser gives neither
/// position nor duplicates, and experiment files are written by hand.
public struct JSONParser {
    public struct SyntaxError: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let column: Int
        public let message: String
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0

    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: Array(text.utf8))
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw parser.error("unexpected text after the document") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func error(_ message: String) -> SyntaxError {
        SyntaxError(line: line, column: index - lineStart + 1, message: message)
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            if byte == 0x0A { line += 1; lineStart = index + 1 }
            index += 1
        }
    }

    private mutating func expect(_ literal: String, _ value: JSONValue) throws(SyntaxError) -> JSONValue {
        for byte in literal.utf8 {
            guard current == byte else { throw error("expected '\(literal)'") }
            index += 1
        }
        return value
    }

    private mutating func value() throws(SyntaxError) -> JSONValue {
        guard let byte = current else { throw error("unexpected end of the file; a value is missing") }
        switch byte {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character '\(String(decoding: [byte], as: UTF8.self))'")
        }
    }

    private mutating func nested<T>(_ body: (inout JSONParser) throws(SyntaxError) -> T) throws(SyntaxError) -> T {
        depth += 1
        guard depth <= 64 else { throw error("nested more than 64 levels deep") }
        defer { depth -= 1 }
        return try body(&self)
    }

    private mutating func object() throws(SyntaxError) -> JSONValue {
        try nested { (parser: inout JSONParser) throws(SyntaxError) -> JSONValue in
            parser.index += 1
            var members: [(key: String, value: JSONValue)] = []
            parser.skipWhitespace()
            if parser.current == UInt8(ascii: "}") { parser.index += 1; return .object(members) }
            while true {
                parser.skipWhitespace()
                guard parser.current == UInt8(ascii: "\"") else {
                    throw parser.error("expected a key in double quotes")
                }
                let keyError = parser.error("")
                let key = try parser.string()
                if members.contains(where: { $0.key == key }) {
                    throw SyntaxError(
                        line: keyError.line, column: keyError.column,
                        message: "key '\(key)' appears twice in one object")
                }
                parser.skipWhitespace()
                guard parser.current == UInt8(ascii: ":") else { throw parser.error("expected ':' after key '\(key)'") }
                parser.index += 1
                parser.skipWhitespace()
                members.append((key, try parser.value()))
                parser.skipWhitespace()
                switch parser.current {
                case UInt8(ascii: ","): parser.index += 1
                case UInt8(ascii: "}"): parser.index += 1; return .object(members)
                default: throw parser.error("expected ',' or '}' in an object")
                }
            }
        }
    }

    private mutating func array() throws(SyntaxError) -> JSONValue {
        try nested { (parser: inout JSONParser) throws(SyntaxError) -> JSONValue in
            parser.index += 1
            var items: [JSONValue] = []
            parser.skipWhitespace()
            if parser.current == UInt8(ascii: "]") { parser.index += 1; return .array(items) }
            while true {
                parser.skipWhitespace()
                items.append(try parser.value())
                parser.skipWhitespace()
                switch parser.current {
                case UInt8(ascii: ","): parser.index += 1
                case UInt8(ascii: "]"): parser.index += 1; return .array(items)
                default: throw parser.error("expected ',' or ']' in a list")
                }
            }
        }
    }

    private mutating func string() throws(SyntaxError) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() {
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw.removeAll()
        }
        while true {
            guard let byte = current else { throw error("a string is not closed") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush()
                guard let escape = current else { throw error("a string is not closed") }
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count,
                        let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
                    else { throw error("\\u needs four hexadecimal digits") }
                    index += 4
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: throw error("unknown escape '\\\(String(decoding: [escape], as: UTF8.self))'")
                }
            case 0..<0x20:
                index -= 1
                throw error("a control character inside a string; write it as an escape")
            default:
                raw.append(byte)
            }
        }
    }

    private mutating func number() throws(SyntaxError) -> JSONValue {
        let start = index
        func digits(_ parser: inout JSONParser) -> Int {
            var count = 0
            while let byte = parser.current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                parser.index += 1; count += 1
            }
            return count
        }
        if current == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard digits(&self) > 0 else { throw error("a number needs digits") }
        if bytes[integerStart] == UInt8(ascii: "0") && index - integerStart > 1 {
            throw SyntaxError(
                line: line, column: integerStart - lineStart + 1, message: "a number may not start with 0")
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw error("a fraction needs digits after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw error("an exponent needs digits") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw SyntaxError(line: line, column: start - lineStart + 1, message: "\(text) is not a finite number")
        }
        return .number(value, text: text)
    }
}
