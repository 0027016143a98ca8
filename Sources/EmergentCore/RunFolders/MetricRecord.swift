import Foundation

/// One logged point of `metrics.jsonl`: `{"step", "epoch", "wall_time", "key", "value"}`,
/// as MLflow and TensorBoard keep scalars (a step, a timestamp and a value per key).
public struct MetricRecord: Sendable, Equatable {
    public let step: Int
    /// The 0-based epoch the point belongs to (an epoch end's test metrics belong to the epoch they end).
    public let epoch: Int
    /// Seconds since 1970 when the point was logged.
    public let wallTime: Double
    public let key: String
    public let value: Double

    public init(step: Int, epoch: Int, wallTime: Double, key: String, value: Double) {
        self.step = step
        self.epoch = epoch
        self.wallTime = wallTime
        self.key = key
        self.value = value
    }

    /// The record as one line of JSON, newline included.
    public var line: String {
        "{\"step\":\(step),\"epoch\":\(epoch),\"wall_time\":\(JSONValue.numberText(wallTime)),\"key\":"
            + JSONValue.quoted(key) + ",\"value\":\(JSONValue.numberText(value))}\n"
    }

    /// Reads a line exactly as `line` writes it, straight from its bytes; nil for any other
    /// shape (another writer's spacing or key order, an escaped key, a "nan" value), which
    /// the general JSON path then reads.
    public init?(fastLine bytes: UnsafeRawBufferPointer) {
        var reader = FastLineReader(bytes: bytes)
        guard reader.expect("{\"step\":"), let step = reader.integer(until: 0x2C), reader.expect(",\"epoch\":"),
            let epoch = reader.integer(until: 0x2C), reader.expect(",\"wall_time\":"),
            let wallTime = reader.number(until: 0x2C), reader.expect(",\"key\":\""), let key = reader.plainString(),
            reader.expect(",\"value\":"), let value = reader.number(until: 0x7D), reader.expect("}"), reader.atEnd
        else { return nil }
        self.init(step: step, epoch: epoch, wallTime: wallTime, key: key, value: value)
    }

    /// Reads a parsed line; nil with the reason when a field is missing or of the wrong kind.
    public init(_ value: JSONValue) throws(RunFolderError.LineProblem) {
        guard case .object = value else { throw .init("expected an object, found \(value.kind)") }
        func integer(_ key: String) throws(RunFolderError.LineProblem) -> Int {
            guard let number = value[key]?.numberValue, number.isFinite, number == number.rounded(),
                abs(number) < 1e15
            else { throw .init("\"\(key)\" must be a whole number") }
            return Int(number)
        }
        step = try integer("step")
        epoch = try integer("epoch")
        guard let wallTime = value["wall_time"]?.numberValue else { throw .init("\"wall_time\" must be a number") }
        self.wallTime = wallTime
        guard case let .string(key)? = value["key"], !key.isEmpty else {
            throw .init("\"key\" must be a non-empty string")
        }
        self.key = key
        guard let number = value["value"]?.numberValue else {
            throw .init("\"value\" must be a number (or \"nan\", \"inf\", \"-inf\")")
        }
        self.value = number
    }
}

/// A cursor over one line's bytes for `MetricRecord(fastLine:)`: literal pieces, numbers
/// made of JSON's number characters only, and strings without escapes.
struct FastLineReader {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func expect(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count,
            memcmp(bytes.baseAddress! + index, literal.utf8Start, count) == 0
        else { return false }
        index += count
        return true
    }

    /// The number before `terminator` (which stays unread).
    mutating func number(until terminator: UInt8) -> Double? {
        var end = index
        while end < bytes.count, bytes[end] != terminator {
            let byte = bytes[end]
            // Digits, sign, point and exponent: "nan", "inf" and hex are JSON's business.
            guard
                (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2B || byte == 0x2E || byte == 0x65
                    || byte == 0x45
            else { return nil }
            end += 1
        }
        guard end < bytes.count, end > index, end - index < 64 else { return nil }
        let value = Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self))
        index = end
        return value
    }

    mutating func integer(until terminator: UInt8) -> Int? {
        guard let value = number(until: terminator), value == value.rounded(), abs(value) < 1e15 else { return nil }
        return Int(value)
    }

    /// A string's content up to its closing quote (consumed); nil when empty or escaped.
    mutating func plainString() -> String? {
        var end = index
        while end < bytes.count, bytes[end] != 0x22 {
            guard bytes[end] != 0x5C else { return nil }
            end += 1
        }
        guard end < bytes.count, end > index else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
        index = end + 1
        return text
    }
}
