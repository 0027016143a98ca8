/// One line of `events.jsonl`: `{"step", "wall_time", "event", "text", …}` with the event's
/// own fields. Everything that is not a per-step metric is recorded: the start and the
/// initialization, epoch ends, parameter and length changes, pauses, forks, divergence,
/// checkpoints and resumes. Read back, the run's events rebuild its picture.
public struct RecordedEvent: Sendable, Equatable {
    public let step: Int
    public let wallTime: Double
    public let kind: String
    public let text: String
    /// The event's own members, after the four common ones.
    public let fields: [(key: String, value: JSONValue)]

    public static func == (lhs: RecordedEvent, rhs: RecordedEvent) -> Bool {
        lhs.line == rhs.line
    }

    public init(step: Int, wallTime: Double, kind: String, text: String, fields: [(key: String, value: JSONValue)] = [])
    {
        self.step = step
        self.wallTime = wallTime
        self.kind = kind
        self.text = text
        self.fields = fields
    }

    public var line: String {
        JSONValue.object(
            [
                ("step", .number(Double(step))), ("wall_time", .number(wallTime)), ("event", .string(kind)),
                ("text", .string(text)),
            ] + fields
        ).text() + "\n"
    }

    public init(_ value: JSONValue) throws(RunFolderError.LineProblem) {
        guard case let .object(members) = value else { throw .init("expected an object, found \(value.kind)") }
        guard let step = value["step"]?.numberValue.flatMap({ Int(exactly: $0) }) else {
            throw .init("\"step\" must be a whole number")
        }
        guard let wallTime = value["wall_time"]?.numberValue else { throw .init("\"wall_time\" must be a number") }
        guard case let .string(kind)? = value["event"] else { throw .init("\"event\" must be a string") }
        guard case let .string(text)? = value["text"] else { throw .init("\"text\" must be a string") }
        self.step = step
        self.wallTime = wallTime
        self.kind = kind
        self.text = text
        fields = members.filter { !["step", "wall_time", "event", "text"].contains($0.key) }
    }

    func field(_ key: String) -> JSONValue? { fields.last { $0.key == key }?.value }
    func number(_ key: String) -> Double? { field(key)?.numberValue }
    /// A whole-number field, 0 when missing or not a whole number in range (never a trap).
    func integer(_ key: String) -> Int { number(key).flatMap { Int(exactly: $0) } ?? 0 }

    /// A run event as it is recorded (at the step it carries), or nil for the per-step
    /// records (they are metrics).
    public init?(_ event: RunEvent, wallTime: Double) {
        func numbers(_ values: [String: Double]) -> JSONValue {
            .object(values.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) })
        }
        let text = event.summary
        switch event {
        case .step, .measured, .initProgress, .updaterProgress, .checkpointed:
            return nil
        case let .started(seed):
            self.init(
                step: 0, wallTime: wallTime, kind: "started", text: text, fields: [("seed", .number(Double(seed)))])
        case let .initialized(report):
            let layers = JSONValue.array(
                report.layers.map {
                    .object([
                        ("name", .string($0.name)), ("std", .number($0.standardDeviation)),
                        ("scale", .number($0.scale)),
                        ("reason", .string($0.reason)),
                    ])
                })
            self.init(
                step: 0, wallTime: wallTime, kind: "initialized", text: text,
                fields: [
                    ("seconds", .number(report.seconds)), ("probe_forwards", .number(Double(report.probeForwards))),
                    ("gradient_evaluations", .number(Double(report.gradientEvaluations))), ("layers", layers),
                ] + (report.learningRateMultipliers.map { [("lr_multipliers", numbers($0))] } ?? []))
        case let .epochEnded(record):
            self.init(
                step: record.step, wallTime: wallTime, kind: "epoch_ended", text: text,
                fields: [
                    ("epoch", .number(Double(record.epoch))), ("train_loss", .number(record.trainLoss)),
                    ("train_acc", .number(record.trainAccuracy)), ("test", numbers(record.test)),
                    ("run_seconds", .number(record.wallTime)),
                ])
        case let .parameterChanged(step, parameter, old, new):
            self.init(
                step: step, wallTime: wallTime, kind: "parameter_changed", text: text,
                fields: [("parameter", .string(parameter.rawValue)), ("old", .number(old)), ("new", .number(new))])
        case let .epochsChanged(step, old, new):
            self.init(
                step: step, wallTime: wallTime, kind: "epochs_changed", text: text,
                fields: [("old", .number(Double(old))), ("new", .number(Double(new)))])
        case let .updaterFrozen(step, scales, parameters, seconds, probeForwards):
            self.init(
                step: step, wallTime: wallTime, kind: "updater_frozen", text: text,
                fields: [
                    ("scales", numbers(scales)), ("parameters", .number(Double(parameters))),
                    ("seconds", .number(seconds)), ("probe_forwards", .number(Double(probeForwards))),
                ])
        case let .paused(step): self.init(step: step, wallTime: wallTime, kind: "paused", text: text)
        case let .resumed(step): self.init(step: step, wallTime: wallTime, kind: "resumed", text: text)
        case .restarted: self.init(step: 0, wallTime: wallTime, kind: "restarted", text: text)
        case let .diverged(step, loss):
            self.init(step: step, wallTime: wallTime, kind: "diverged", text: text, fields: [("loss", .number(loss))])
        case let .finished(step): self.init(step: step, wallTime: wallTime, kind: "finished", text: text)
        case let .cancelled(step): self.init(step: step, wallTime: wallTime, kind: "cancelled", text: text)
        case let .failed(step, message):
            self.init(
                step: step, wallTime: wallTime, kind: "failed", text: text, fields: [("message", .string(message))])
        }
    }

    /// The run event this line records, for replay; nil for the run folder's own lines
    /// (checkpoints, forks, resumes from disk) and for kinds this build does not know.
    public var event: RunEvent? {
        func numbers(_ value: JSONValue?) -> [String: Double] {
            guard case let .object(members)? = value else { return [:] }
            return Dictionary(members.compactMap { member in member.value.numberValue.map { (member.key, $0) } }) { $1 }
        }
        switch kind {
        case "started": return .started(seed: number("seed").flatMap { UInt64(exactly: $0) } ?? 0)
        case "initialized":
            var layers: [InitReport.Layer] = []
            if case let .array(items)? = field("layers") {
                for item in items {
                    guard case let .string(name)? = item["name"] else { continue }
                    let reason: String
                    if case let .string(text)? = item["reason"] { reason = text } else { reason = "" }
                    layers.append(
                        InitReport.Layer(
                            name: name, standardDeviation: item["std"]?.numberValue ?? .nan,
                            scale: item["scale"]?.numberValue ?? 1, reason: reason))
                }
            }
            var report = InitReport(layers: layers, probeForwards: integer("probe_forwards"))
            report.gradientEvaluations = integer("gradient_evaluations")
            report.seconds = number("seconds") ?? 0
            if field("lr_multipliers") != nil { report.learningRateMultipliers = numbers(field("lr_multipliers")) }
            return .initialized(report)
        case "epoch_ended":
            return .epochEnded(
                EpochRecord(
                    epoch: integer("epoch"), step: step, trainLoss: number("train_loss") ?? .nan,
                    trainAccuracy: number("train_acc") ?? .nan, test: numbers(field("test")),
                    wallTime: number("run_seconds") ?? 0))
        case "parameter_changed":
            guard case let .string(name)? = field("parameter"),
                let parameter = ParameterChange.Parameter(rawValue: name)
            else { return nil }
            return .parameterChanged(
                step: step, parameter: parameter, old: number("old") ?? .nan, new: number("new") ?? .nan)
        case "epochs_changed":
            return .epochsChanged(step: step, old: integer("old"), new: integer("new"))
        case "updater_frozen":
            return .updaterFrozen(
                step: step, scales: numbers(field("scales")), parameters: integer("parameters"),
                seconds: number("seconds") ?? 0, probeForwards: integer("probe_forwards"))
        case "paused": return .paused(step: step)
        case "resumed": return .resumed(step: step)
        case "restarted": return .restarted
        case "diverged": return .diverged(step: step, loss: number("loss") ?? .nan)
        case "finished": return .finished(step: step)
        case "cancelled": return .cancelled(step: step)
        case "failed":
            guard case let .string(message)? = field("message") else { return .failed(step: step, message: "") }
            return .failed(step: step, message: message)
        default: return nil
        }
    }
}
