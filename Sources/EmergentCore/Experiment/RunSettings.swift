/// The keys a run entry may override on its experiment.
public struct RunSettings: Sendable, Hashable {
    public var model: ModelConfig
    public var optimizer: OptimizerConfig
    public var schedule: ScheduleConfig
    public var batchSize: Int
    public var epochs: Int
    /// Samples per epoch (a random subset each epoch); nil: the whole training split.
    public var epochSize: Int?
    public var labelSmoothing: Double
    public var measurement: MeasurementConfig
    /// Translation: held-out pairs decoded greedily at each epoch end.
    public var decodeSize: Int
    /// Test samples evaluated at each epoch end (a fixed subset); 0: the whole test split.
    public var evaluationSize: Int
    /// Parameter changes at given steps, as if typed live at that step.
    public var changes: [ParameterChange]
    /// The test metric (`test/acc`) a run must reach for the time-to-target measure; nil:
    /// the dataset's default (`TrainingTarget.defaultValue`).
    public var target: Double?

    public static let keys = [
        "model", "optimizer", "schedule", "batch_size", "epochs", "epoch_size", "label_smoothing", "measure",
        "decode_size", "eval_size", "changes", "target",
    ]

    static func read(_ reader: inout ConfigReader) throws(ExperimentError) -> RunSettings {
        var modelReader = try reader.nested("model")
        let model = try ModelConfig.read(&modelReader)
        try modelReader.finish()
        let transformer = model.isTransformer
        var optimizerReader = try reader.nested("optimizer")
        let optimizer = try OptimizerConfig.read(&optimizerReader, defaults: transformer ? .transformerAdam : .sgd)
        try optimizerReader.finish()
        var scheduleReader = try reader.nested("schedule")
        let schedule = try ScheduleConfig.read(&scheduleReader, defaults: transformer ? .transformer : .constant)
        try scheduleReader.finish()
        var measureReader = try reader.nested("measure")
        let measurement = try MeasurementConfig.read(&measureReader)
        try measureReader.finish()
        var changes: [ParameterChange] = []
        if let value = reader.value("changes") {
            guard case let .array(items) = value else {
                throw .invalid(
                    path: reader.keyPath("changes"),
                    message: "expected a list like [{\"step\": 500, \"lr\": 0.01}], found \(value.kind)")
            }
            for (index, item) in items.enumerated() {
                var changeReader = try ConfigReader(item, path: "\(reader.keyPath("changes"))[\(index)]")
                changes.append(try ParameterChange.read(&changeReader))
                try changeReader.finish()
            }
        }
        return RunSettings(
            model: model, optimizer: optimizer, schedule: schedule,
            batchSize: try reader.integer("batch_size", 1...65536, default: 128),
            epochs: try reader.integer("epochs", 1...1000, default: transformer ? 2 : 3),
            epochSize: try reader.optionalInteger("epoch_size", 1...100_000_000),
            labelSmoothing: try reader.number("label_smoothing", 0...0.99, default: 0),
            measurement: measurement, decodeSize: try reader.integer("decode_size", 0...100_000, default: 200),
            evaluationSize: try reader.integer("eval_size", 0...10_000_000, default: transformer ? 2000 : 0),
            changes: changes.sorted { $0.step < $1.step }, target: try reader.optionalNumber("target", 0...1))
    }
}
