/// JSON text of a `JSONValue`, keys in their order: what run folders write. Non-finite
/// numbers, which JSON lacks, are written as the strings "inf", "-inf" and "nan", as the
/// commands' `--json` output does.
extension JSONValue {
    public func text(pretty: Bool = false) -> String {
        var output = ""
        write(to: &output, pretty: pretty, indent: "")
        return output
    }

    /// A number as a run folder writes it: shortest round-trip form, or a named string.
    public static func numberText(_ value: Double) -> String {
        if value.isNaN { return "\"nan\"" }
        if value.isInfinite { return value > 0 ? "\"inf\"" : "\"-inf\"" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    /// The number a run folder wrote, including the named non-finite strings.
    public var numberValue: Double? {
        switch self {
        case let .number(value, _): value
        case .string("nan"): .nan
        case .string("inf"): .infinity
        case .string("-inf"): -.infinity
        default: nil
        }
    }

    public static func quoted(_ text: String) -> String {
        // Most strings (keys, labels, numbers' names) need no escape: copied whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case let s where s.value < 0x20:
                output +=
                    "\\u" + String(repeating: "0", count: 4 - String(s.value, radix: 16).count)
                    + String(s.value, radix: 16)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    private func write(to output: inout String, pretty: Bool, indent: String) {
        let inner = indent + "  "
        switch self {
        case .null: output += "null"
        case let .bool(value): output += value ? "true" : "false"
        case let .number(value, text): output += value.isFinite ? text : Self.numberText(value)
        case let .string(value): output += Self.quoted(value)
        case let .array(items):
            guard !items.isEmpty else { return output += "[]" }
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                if pretty { output += "\n" + inner }
                item.write(to: &output, pretty: pretty, indent: inner)
            }
            output += pretty ? "\n" + indent + "]" : "]"
        case let .object(members):
            guard !members.isEmpty else { return output += "{}" }
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                if pretty { output += "\n" + inner }
                output += Self.quoted(member.key) + (pretty ? ": " : ":")
                member.value.write(to: &output, pretty: pretty, indent: inner)
            }
            output += pretty ? "\n" + indent + "}" : "}"
        }
    }
}
