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
