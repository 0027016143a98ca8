/// Reads one JSON object of an experiment file key by key, checking types and ranges, and
/// refuses any key it was not asked about, naming the valid ones. Every error carries the
/// key path (`runs[2].optimizer.lr`).
public struct ConfigReader {
    public let path: String
    private let members: [(key: String, value: JSONValue)]
    private var read: Set<String> = []

    public init(_ value: JSONValue, path: String) throws(ExperimentError) {
        guard case let .object(members) = value else {
            throw .invalid(
                path: path.isEmpty ? "(top level)" : path, message: "expected an object, found \(value.kind)")
        }
        // A null is not "the default": a key left out is. Saying so beats a silent default.
        if let null = members.first(where: { $0.value == .null }) {
            throw .invalid(
                path: path.isEmpty ? null.key : "\(path).\(null.key)",
                message: "null is not a value here; leave the key out to use its default")
        }
        self.path = path
        self.members = members
    }

    public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw value of `key`, marking it as known.
    public mutating func value(_ key: String) -> JSONValue? {
        read.insert(key)
        guard let value = members.first(where: { $0.key == key })?.value, value != .null else { return nil }
        return value
    }

    public mutating func has(_ key: String) -> Bool { value(key) != nil }

    public mutating func number(
        _ key: String, _ range: ClosedRange<Double>, default fallback: Double
    ) throws(ExperimentError) -> Double {
        try optionalNumber(key, range) ?? fallback
    }

    public mutating func optionalNumber(_ key: String, _ range: ClosedRange<Double>) throws(ExperimentError) -> Double?
    {
        guard let value = value(key) else { return nil }
        guard case let .number(number, _) = value else {
            throw .invalid(
                path: keyPath(key), message: "expected a number in \(Self.describe(range)), found \(value.kind)")
        }
        guard range.contains(number) else {
            throw .invalid(
                path: keyPath(key),
                message: "\(Self.format(number)) is out of range; it must be in \(Self.describe(range))")
        }
        return number
    }

    public mutating func integer(
        _ key: String, _ range: ClosedRange<Int>, default fallback: Int
    ) throws(ExperimentError) -> Int {
        try optionalInteger(key, range) ?? fallback
    }

    public mutating func optionalInteger(_ key: String, _ range: ClosedRange<Int>) throws(ExperimentError) -> Int? {
        guard let value = value(key) else { return nil }
        return try Self.integer(value, range, path: keyPath(key))
    }

    public static func integer(
        _ value: JSONValue, _ range: ClosedRange<Int>, path: String
    ) throws(ExperimentError) -> Int {
        guard case let .number(number, text) = value, number == number.rounded() else {
            throw .invalid(
                path: path,
                message: "expected a whole number in \(range.lowerBound)...\(range.upperBound), found "
                    + (value.kind == "a number" ? "a fraction" : value.kind))
        }
        // Beyond 2^53 a double is no longer exact: such a number is out of every range here.
        guard abs(number) < 9_007_199_254_740_992, Double(range.lowerBound) <= number, number <= Double(range.upperBound)
        else {
            throw .invalid(
                path: path,
                message: "\(text.isEmpty ? format(number) : text) is out of range; it must be in \(range.lowerBound)...\(range.upperBound)")
        }
        guard range.contains(Int(number)) else {
            throw .invalid(
                path: path,
                message: "\(Int(number)) is out of range; it must be in \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(number)
    }

    public mutating func bool(_ key: String, default fallback: Bool) throws(ExperimentError) -> Bool {
        guard let value = value(key) else { return fallback }
        guard case let .bool(flag) = value else {
            throw .invalid(path: keyPath(key), message: "expected true or false, found \(value.kind)")
        }
        return flag
    }

    public mutating func optionalString(_ key: String) throws(ExperimentError) -> String? {
        guard let value = value(key) else { return nil }
        guard case let .string(text) = value else {
            throw .invalid(path: keyPath(key), message: "expected a string, found \(value.kind)")
        }
        return text
    }

    public mutating func choice(
        _ key: String, _ choices: [String], default fallback: String
    ) throws(ExperimentError) -> String {
        guard let text = try optionalString(key) else { return fallback }
        guard choices.contains(text) else {
            throw .invalid(path: keyPath(key), message: "'\(text)' is not one of: \(choices.joined(separator: ", "))")
        }
        return text
    }

    public mutating func integers(
        _ key: String, _ range: ClosedRange<Int>, count: ClosedRange<Int>
    ) throws(ExperimentError) -> [Int]? {
        guard let value = value(key) else { return nil }
        guard case let .array(items) = value else {
            throw .invalid(path: keyPath(key), message: "expected a list of whole numbers, found \(value.kind)")
        }
        guard count.contains(items.count) else {
            throw .invalid(
                path: keyPath(key),
                message: "a list of \(items.count) values; it must have \(count.lowerBound)...\(count.upperBound)")
        }
        var result: [Int] = []
        for (index, item) in items.enumerated() {
            result.append(try Self.integer(item, range, path: "\(keyPath(key))[\(index)]"))
        }
        return result
    }

    /// The reader of a nested object.
    public mutating func object(_ key: String) throws(ExperimentError) -> ConfigReader? {
        guard let value = value(key) else { return nil }
        return try ConfigReader(value, path: keyPath(key))
    }

    /// The reader of a nested object, empty when the key is absent (every default applies).
    public mutating func nested(_ key: String) throws(ExperimentError) -> ConfigReader {
        if let reader = try object(key) { return reader }
        return try ConfigReader(.object([]), path: keyPath(key))
    }

    /// Call when every key has been read: an unknown key is an error listing the valid ones.
    public func finish() throws(ExperimentError) {
        if let unknown = members.first(where: { !read.contains($0.key) }) {
            throw .invalid(
                path: keyPath(unknown.key),
                message: "unknown key; valid keys here: \(read.sorted().joined(separator: ", "))")
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    static func describe(_ range: ClosedRange<Double>) -> String {
        let upper = range.upperBound == .greatestFiniteMagnitude ? "∞" : format(range.upperBound)
        return "\(format(range.lowerBound))...\(upper)"
    }
}

/// What is wrong with an experiment: a file that does not parse, or a value that is not valid.
public enum ExperimentError: Error, Equatable, CustomStringConvertible {
    case syntax(file: String, JSONParser.SyntaxError)
    case invalid(path: String, message: String)
    case inFile(file: String, path: String, message: String)
    case unreadable(file: String, reason: String)
    case unknownPreset(String, known: [String])
    case incompatible(String)
    /// A value a command-line flag set (`key` is the flag's key, `path` the part refused).
    case onCommandLine(key: String, path: String, message: String)

    public var description: String {
        switch self {
        case let .syntax(file, error): "\(file): \(error)"
        case let .invalid(path, message): "\(path): \(message)"
        case let .inFile(file, path, message): "\(file): \(path): \(message)"
        case let .unreadable(file, reason): "\(file): \(reason)"
        case let .unknownPreset(name, known):
            "no experiment '\(name)': it is neither a file nor a preset; presets: \(known.joined(separator: ", "))"
        case let .incompatible(message): message
        case let .onCommandLine(_, path, message): "on the command line, \(path): \(message)"
        }
    }

    /// The same error, naming where the value came from: a command-line override of the
    /// key (in every run entry or the experiment), else the file.
    func located(in file: String, overrides: [(path: [String], value: JSONValue)] = []) -> ExperimentError {
        guard case let .invalid(path, message) = self else { return self }
        // `runs[2].optimizer.lr` is the experiment's `optimizer.lr` laid over entry 2.
        var key = Substring(path)
        if key.hasPrefix("runs["), let close = key.firstIndex(of: "]") {
            key = key[key.index(after: close)...].drop { $0 == "." }
        }
        for override in overrides.reversed() {
            let overridden = override.path.joined(separator: ".")
            if key == overridden || key.hasPrefix(overridden + ".") || key.hasPrefix(overridden + "[") {
                return .onCommandLine(key: overridden, path: String(key), message: message)
            }
        }
        return .inFile(file: file, path: path, message: message)
    }
}
