/// Where a run stands.
public enum RunStatus: String, Sendable, Equatable, Codable {
    case queued, initializing, training, paused, done, diverged, cancelled, failed
    /// Read from a run folder that no process writes any more, before the run finished (its
    /// process was stopped or killed): `resume` carries it on.
    case stopped

    /// The run will not train again unless restarted. A stopped run is not ended: it has
    /// not reached its end, and `resume` carries it on.
    public var isTerminal: Bool { [.done, .diverged, .cancelled, .failed].contains(self) }
}

/// An immutable picture of one run, published after every slice: what the dashboard and the
/// progress bars read. It is the fold of the run's events, so anything that has the events
/// (a run log read back from disk, say) can rebuild it.
public struct RunSnapshot: Sendable, Equatable {
    public internal(set) var id: Int
    /// The run's configuration; `epochs` follows live changes.
    public private(set) var config: RunConfig
    public var status: RunStatus = .queued
    /// Initializer progress, 0...1, while initializing.
    public var initProgress: Double = 0
    public var initTerms: [String: Double] = [:]
    public var initReport: InitReport?
    public var step = 0
    /// Epochs done.
    public var epoch = 0
    public var stepsPerEpoch: Int
    public var totalSteps: Int
    /// Latest value of every series key.
    public var latest: [String: Double] = [:]
    /// The learning rate, momentum, weight decay and τ as they stand after live changes.
    public var settings: LiveSettings
    public var series: [String: SeriesHistory] = [:]
    public var lastMeasurement: MeasurementRecord?
    /// Best test metric so far (`test/acc`; lower is not better for any shipped metric).
    public var bestTest: Double?
    public var firstEpochTest: Double?
    /// log10 E on the probe at step 0, before any training (nil until measured).
    public var initialLog10E: Double?
    /// When the test metric first reached the run's target (nil: not yet).
    public var targetReached: TrainingTarget?
    public var updaterScales: [String: Double]?
    public var divergedAt: Int?
    public var failure: String?
    /// What the cluster says of the task that trains this run, when a view of a Slurm sweep
    /// knows more than the folder does ("pending", "cancelled", "timed out"); nil elsewhere.
    public var clusterState: String?
    /// The most recent events with the step they happened at (bounded).
    public var events: [RunEvent] = []
    /// Slices this run has trained; equal runs stay within one of each other.
    public var slices = 0
    public var wallTime = 0.0
    public var samplesPerSecond = 0.0

    public static let eventCapacity = 500

    public init(id: Int, config: RunConfig, stepsPerEpoch: Int) {
        self.id = id
        self.config = config
        self.stepsPerEpoch = stepsPerEpoch
        totalSteps = stepsPerEpoch * config.settings.epochs
        settings = LiveSettings(config)
    }

    public var testMetric: Double? { latest["test/acc"] }

    /// The loss a table shows: a finished run's last epoch mean (its last step may be a small
    /// partial batch, far from the epoch's loss), else the latest step's.
    public var shownLoss: Double? {
        status == .done ? latest["train/epoch_loss"] ?? latest["train/loss"] : latest["train/loss"]
    }

    mutating func record(_ key: String, x: Double, _ value: Double, weight: Double = 1) {
        latest[key] = value
        series[key, default: SeriesHistory()].append(x: x, y: value, weight: weight)
    }

    /// The metrics key a step on a partial batch logs its sample count under (before its
    /// loss and accuracy); full batches log none.
    public static let batchSamplesKey = "train/batch_samples"

    /// The share of a full batch a step's samples are, in 0...1: what its loss and accuracy
    /// weigh in curves and smoothing.
    public func batchWeight(samples: Int) -> Double {
        min(Double(samples) / Double(max(config.settings.batchSize, 1)), 1)
    }

    /// The per-layer values kept as series, by the key suffix they are stored under.
    public static func layerStatistics(_ layer: LayerMeasurement) -> [(String, Double)] {
        var values: [(String, Double)] = [
            ("log10E", layer.log10E), ("active", layer.activeFraction), ("weight_rms", layer.weightRMS),
            ("act_std", layer.activationStd), ("grad_norm", layer.gradientNorm),
        ]
        if let scale = layer.scale { values.append(("scale", scale)) }
        if let ratio = layer.log10UpdateRatio { values.append(("log10_update_ratio", ratio)) }
        return values
    }

    /// Folds one event into the picture.
    public mutating func apply(_ event: RunEvent) {
        switch event {
        case .started:
            status = .initializing
        case let .initProgress(iteration, total, terms):
            initProgress = Double(iteration) / Double(max(total, 1))
            initTerms = terms
            for (term, value) in terms { record("init/\(term)", x: Double(iteration), value) }
        case let .initialized(report):
            initReport = report
            initProgress = 1
            status = .training
            wallTime = report.seconds
        case let .step(record):
            step = record.step
            wallTime = record.wallTime
            samplesPerSecond = record.samplesPerSecond
            let x = Double(record.step), weight = batchWeight(samples: record.samples)
            self.record("train/loss", x: x, record.loss, weight: weight)
            self.record("train/acc", x: x, record.accuracy, weight: weight)
            self.record("opt/lr", x: x, record.learningRate)
            self.record("opt/grad_norm", x: x, record.gradientNorm)
            // Maps steps to seconds for the wall-time axis.
            self.record("time/wall", x: x, record.wallTime)
        case let .measured(measurement):
            lastMeasurement = measurement
            if measurement.step == 0 { initialLog10E = measurement.log10E }
            let x = Double(measurement.step)
            record("emergence/log10E", x: x, measurement.log10E)
            record("emergence/log10E_complete", x: x, measurement.log10CompleteE)
            for layer in measurement.layers {
                for (stat, value) in Self.layerStatistics(layer) { record("layers/\(layer.name)/\(stat)", x: x, value) }
            }
        case let .epochEnded(record):
            epoch = record.epoch
            let x = Double(record.step)
            for (key, value) in record.test.sorted(by: { $0.key < $1.key }) { self.record(key, x: x, value) }
            self.record("train/epoch_loss", x: x, record.trainLoss)
            if let accuracy = record.test["test/acc"] {
                if record.epoch == 1 { firstEpochTest = accuracy }
                bestTest = max(bestTest ?? accuracy, accuracy)
                if targetReached == nil, let target = config.settings.target, accuracy >= target {
                    targetReached = TrainingTarget(epoch: record.epoch, step: record.step, seconds: record.wallTime)
                }
            }
        case .checkpointed:
            break
        case let .parameterChanged(_, parameter, _, new):
            settings[parameter] = new
        case let .epochsChanged(_, _, new):
            config.settings.epochs = new
            totalSteps = stepsPerEpoch * new
            if status == .done && epoch < new { status = .training }
        case let .updaterProgress(_, scales, _):
            updaterScales = scales
        case let .updaterFrozen(_, scales, _, _, _):
            updaterScales = scales
        case .paused:
            status = .paused
        case .resumed:
            status = initReport == nil ? .queued : .training
        case .restarted:
            self = RunSnapshot(id: id, config: config, stepsPerEpoch: stepsPerEpoch)
        case let .diverged(step, _):
            divergedAt = step
            status = .diverged
        case .finished:
            status = .done
        case .cancelled:
            status = .cancelled
        case let .failed(_, message):
            failure = message
            status = .failed
        }
        switch event {
        case .step, .initProgress, .updaterProgress, .measured, .checkpointed: return
        default: events.append(event)
        }
        if events.count > Self.eventCapacity { events.removeFirst(events.count - Self.eventCapacity) }
    }
}
