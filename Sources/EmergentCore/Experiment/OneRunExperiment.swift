/// `emergent train`'s flags as the experiment they describe: one classifier run with SGD,
/// checked as an experiment file would be.
public struct OneRunExperiment: Sendable {
    public var model: JSONValue
    public var dataset: String
    public var dataDirectory: String?
    public var seed: Int
    public var learningRate: Double
    public var momentum: Double
    public var batchSize: Int
    public var epochs: Int
    public var initializer: String

    public init(
        model: JSONValue, dataset: String, dataDirectory: String?, seed: Int, learningRate: Double, momentum: Double,
        batchSize: Int, epochs: Int, initializer: String
    ) {
        self.model = model
        self.dataset = dataset
        self.dataDirectory = dataDirectory
        self.seed = seed
        self.learningRate = learningRate
        self.momentum = momentum
        self.batchSize = batchSize
        self.epochs = epochs
        self.initializer = initializer
    }

    public func config() throws(ExperimentError) -> ExperimentConfig {
        var members: [(key: String, value: JSONValue)] = [
            ("name", .string("train")), ("dataset", .string(dataset)), ("seed", .number(Double(seed))),
            ("model", model),
            (
                "optimizer",
                .object([("kind", .string("sgd")), ("lr", .number(learningRate)), ("momentum", .number(momentum))])
            ),
            ("batch_size", .number(Double(batchSize))), ("epochs", .number(Double(epochs))),
            ("runs", .array([.object([("init", .string(initializer))])])),
        ]
        if let dataDirectory { members.append(("data_dir", .string(dataDirectory))) }
        return try ExperimentConfig.parse(.object(members), defaultName: "train")
    }
}

extension OneRunExperiment {
    /// Trains the run on one worker without run folders, telling `say` the set-up line, what
    /// a learned initializer cost and each epoch; returns the run as it ended.
    public func train(
        _ config: ExperimentConfig, modelName: String, say: @escaping @Sendable (String) -> Void
    ) throws(UserError) -> RunSnapshot {
        var oneRun = config
        oneRun.writesRunFolders = false  // `train` prints its epochs; `run` keeps folders
        let session = try ExperimentSession(oneRun, workers: 1, purpose: "train")
        let run = config.runs[0]
        say(
            "\(modelName) on \(dataset): \(session.data.trainCount) train samples, batch \(run.settings.batchSize), "
                + "SGD lr \(learningRate) momentum \(momentum), init \(initializer), seed \(seed)")
        session.add([run])
        session.trainToEnd { manager in
            manager.subscribe { _, event in
                if let line = ProgressText.trainLine(for: event, initializer: run.initializer.description) { say(line) }
            }
            return {}
        }
        return session.manager.snapshots()[0]
    }
}
