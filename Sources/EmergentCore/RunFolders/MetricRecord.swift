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
    public init?(fastLine bytes: Data.SubSequence) {
        var index = bytes.startIndex
        func expect(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.distance(from: index, to: bytes.endIndex) >= count else { return false }
            let matches = literal.withUTF8Buffer { expected in
                var position = index
                for byte in expected {
                    guard bytes[position] == byte else { return false }
                    position = bytes.index(after: position)
                }
                return true
            }
            if matches { index = bytes.index(index, offsetBy: count) }
            return matches
        }
        /// The bytes up to (not including) `terminator`.
        func field(until terminator: UInt8) -> Data.SubSequence? {
            guard let end = bytes[index...].firstIndex(of: terminator) else { return nil }
            defer { index = end }
            return bytes[index..<end]
        }
        func number(until terminator: UInt8) -> Double? {
            guard let text = field(until: terminator), !text.isEmpty,
                text.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2B || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 })
            else { return nil }
            return Double(String(decoding: text, as: UTF8.self))
        }
        guard expect("{\"step\":"), let step = number(until: 0x2C), step == step.rounded(), abs(step) < 1e15,
            expect(",\"epoch\":"), let epoch = number(until: 0x2C), epoch == epoch.rounded(), abs(epoch) < 1e15,
            expect(",\"wall_time\":"), let wallTime = number(until: 0x2C), expect(",\"key\":\""),
            let key = field(until: 0x22), !key.isEmpty, !key.contains(0x5C), expect("\",\"value\":"),
            let value = number(until: 0x7D), expect("}"), index == bytes.endIndex
        else { return nil }
        self.init(
            step: Int(step), epoch: Int(epoch), wallTime: wallTime, key: String(decoding: key, as: UTF8.self),
            value: value)
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
