/// Everything one run needs besides the experiment's shared data: a resolved experiment
/// entry for one seed. A run's numbers depend only on this.
public struct RunConfig: Sendable, Hashable {
    /// What the run is called on screen and in summaries ("emergence:alpha=1.2").
    public var label: String
    /// Runs made from one experiment entry (its seeds) share a group.
    public var group: Int
    public var seed: UInt64
    public var initializer: InitializerSpec
    /// Set on a control run: the emergence-promoting spec whose scales become per-layer
    /// learning-rate multipliers (α^(−2·idx) for SGD, α^(−idx) for Adam).
    public var controlOf: InitializerSpec?
    public var settings: RunSettings
    /// Where the run comes from, so a run folder can rebuild it from its experiment.
    public var origin = RunOrigin()

    public init(
        label: String, group: Int, seed: UInt64, initializer: InitializerSpec, controlOf: InitializerSpec? = nil,
        settings: RunSettings
    ) {
        self.label = label
        self.group = group
        self.seed = seed
        self.initializer = initializer
        self.controlOf = controlOf
        self.settings = settings
    }
}

/// A run's provenance: its place in the experiment's list of runs (seeds expanded, controls
/// added), then the forks' edits, oldest first. The experiment document, this and the seed
/// rebuild the configuration exactly.
public struct RunOrigin: Sendable, Hashable {
    public var entry = 0
    /// Each fork's edit as the words `RunEdit(parsing:)` reads.
    public var edits: [[String]] = []

    public init(entry: Int = 0, edits: [[String]] = []) {
        self.entry = entry
        self.edits = edits
    }
}

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

/// When and how the probe is measured.
public struct MeasurementConfig: Sendable, Hashable {
    /// Steps between measurements (besides step 0 and each epoch end).
    public var every: Int
    public var emergence: EmergenceSettings

    static func read(_ reader: inout ConfigReader) throws(ExperimentError) -> MeasurementConfig {
        let every = try reader.integer("every", 1...1_000_000, default: 50)
        let tau = try reader.number("tau", LiveSetting.tau.range, default: EmergenceSettings.defaultTau)
        let criterion = try reader.choice(
            "criterion", EmergenceSettings.Criterion.allCases.map(\.rawValue), default: "activation")
        return MeasurementConfig(
            every: every, emergence: try! EmergenceSettings(tau: tau, criterion: .init(rawValue: criterion)!))
    }
}

/// A live-changeable hyperparameter set at a step.
public struct ParameterChange: Sendable, Hashable, Codable {
    public typealias Parameter = LiveSetting
    public var step: Int
    public var parameter: Parameter
    public var value: Double

    public init(step: Int, parameter: Parameter, value: Double) {
        self.step = step
        self.parameter = parameter
        self.value = value
    }

    static func read(_ reader: inout ConfigReader) throws(ExperimentError) -> ParameterChange {
        let step = try reader.integer("step", 0...100_000_000, default: -1)
        guard step >= 0 else {
            throw .invalid(path: reader.keyPath("step"), message: "a change needs the step it happens at")
        }
        var found: [ParameterChange] = []
        for parameter in Parameter.allCases {
            if let value = try reader.optionalNumber(parameter.rawValue, parameter.range) {
                found.append(ParameterChange(step: step, parameter: parameter, value: value))
            }
        }
        guard found.count == 1 else {
            throw .invalid(
                path: reader.path,
                message: "a change sets exactly one of: \(Parameter.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return found[0]
    }
}
