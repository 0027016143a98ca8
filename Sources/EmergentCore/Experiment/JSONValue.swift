import Foundation

/// A parsed JSON document that remembers where each value stood, so that a bad value in an
/// experiment file is reported with its line and column. Objects keep their keys in file
/// order; a repeated key is refused by the parser rather than silently overwritten.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double, text: String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a, _), .number(b, _)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    /// The kind in words, for "expected a number, found a string".
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }

    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// `self` with `other`'s members laid over it, objects merged key by key (a run entry's
    /// overrides on the experiment, a command-line flag on both).
    public func merging(_ other: JSONValue) -> JSONValue {
        guard case var .object(members) = self, case let .object(overrides) = other else { return other }
        for (key, value) in overrides {
            if let index = members.firstIndex(where: { $0.key == key }) {
                members[index].value = members[index].value.merging(value)
            } else {
                members.append((key, value))
            }
        }
        return .object(members)
    }

    /// `self` with the value at a dotted path (`optimizer.lr`) set, creating objects on the way.
    public func setting(_ path: [String], to value: JSONValue) -> JSONValue {
        guard let first = path.first else { return value }
        let nested: JSONValue =
            path.count == 1 ? value : (self[first] ?? .object([])).setting(Array(path.dropFirst()), to: value)
        return merging(.object([(first, nested)]))
    }

    /// A number as JSON writes it: integers without a fraction, others in shortest form.
    public static func number(_ value: Double) -> JSONValue { .number(value, text: numberText(value)) }
}

extension JSONValue: Encodable {
    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case let .bool(value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case let .number(value, _):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case let .string(value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case let .array(items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case let .object(members):
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in members { try container.encode(value, forKey: Key(stringValue: key)) }
        }
    }
}
