/// A run's picture rebuilt from its folder: the recorded events folded as the live run
/// folded them, the metrics as its series, the latest measurement from the `layers/` keys.
/// It follows a folder that is still growing, record by record.
public struct RunReplay: Sendable {
    public private(set) var snapshot: RunSnapshot
    /// Per-layer values at the latest measured step, layers in the order they were logged.
    private var layerStep = -1
    private var layerOrder: [String] = []
    private var layerValues: [String: [String: Double]] = [:]
    private var emergence: (step: Int, log10E: Double, complete: Double, relative: Double) = (-1, .nan, .nan, .nan)
    /// Set when a measurement record came in: the latest measurement is rebuilt once per batch of records.
    private var measurementChanged = false
    /// The step of the latest partial batch and its weight (its loss and accuracy follow it).
    private var partialBatch: (step: Int, weight: Double)?
    /// The metric series kept (nil: every one). A reader that needs a run's state and one
    /// metric, as `sweep --status` does, need not build a thousand runs' curves.
    private let seriesKeys: Set<String>?

    public init(id: Int, config: RunConfig, stepsPerEpoch: Int, seriesKeys: Set<String>? = nil) {
        snapshot = RunSnapshot(id: id, config: config, stepsPerEpoch: stepsPerEpoch)
        self.seriesKeys = seriesKeys
    }

    /// Gives the run another id (its place among the folders a follower reads).
    mutating func renumber(_ id: Int) { snapshot.id = id }

    /// The folder's records so far.
    public init(folder: RunFolder, id: Int, config: RunConfig, seriesKeys: Set<String>? = nil) {
        self.init(id: id, config: config, stepsPerEpoch: folder.stepsPerEpoch, seriesKeys: seriesKeys)
        apply(metrics: folder.metrics, events: folder.events)
    }

    /// Folds new records in. Epoch ends come from the events (which carry the test metrics);
    /// every other series from the metrics.
    public mutating func apply(metrics: [MetricRecord], events: [RecordedEvent]) {
        var fromEvents = Set(["train/epoch_loss"])
        for recorded in events {
            guard let event = recorded.event else { continue }
            if case let .epochEnded(record) = event { fromEvents.formUnion(record.test.keys) }
            snapshot.apply(event)
        }
        // Only the latest measurement's layer records make the picture's layers: the batch's
        // earlier ones (most of them, when a whole folder is read) are series points only.
        let latestLayerStep = metrics.last { $0.key.hasPrefix("layers/") }?.step ?? -1
        for record in metrics {
            let key = record.key
            if key.hasPrefix("test/") || fromEvents.contains(key) { continue }
            if key == RunSnapshot.batchSamplesKey {
                partialBatch = (record.step, snapshot.batchWeight(samples: Int(exactly: record.value.rounded()) ?? 0))
                continue
            }
            // A partial batch's loss and accuracy weigh its share of a full batch.
            let weight =
                partialBatch?.step == record.step && key.hasPrefix("train/") ? max(partialBatch!.weight, 1e-6) : 1
            if seriesKeys?.contains(key) ?? true {
                snapshot.record(key, x: Double(record.step), record.value, weight: weight)
            }
            // An initializer's points are counted in its iterations, not training steps.
            if key.hasPrefix("init/") { continue }
            snapshot.step = max(snapshot.step, record.step)
            if key == "time/wall" {
                snapshot.wallTime = record.value
            } else if key.hasPrefix("emergence/") {
                note(emergence: record)
            } else if record.step >= latestLayerStep && key.hasPrefix("layers/") {
                note(layer: record)
            }
        }
        if measurementChanged {
            rebuildMeasurement()
            measurementChanged = false
        }
        if snapshot.status == .queued && snapshot.step > 0 { snapshot.status = .training }
    }

    private mutating func note(emergence record: MetricRecord) {
        if record.step != emergence.step { emergence = (record.step, .nan, .nan, .nan) }
        switch record.key {
        case "emergence/log10E":
            emergence.log10E = record.value
            // The measure before any training, as the live run keeps it.
            if record.step == 0 { snapshot.initialLog10E = record.value }
        case "emergence/log10E_complete": emergence.complete = record.value
        case "emergence/log10E_relative": emergence.relative = record.value
        default: break
        }
        measurementChanged = true
    }

    private mutating func note(layer record: MetricRecord) {
        let parts = record.key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return }
        if record.step > layerStep {
            layerStep = record.step
            layerOrder = []
            layerValues = [:]
        }
        guard record.step == layerStep else { return }
        let name = String(parts[1])
        if layerValues[name] == nil { layerOrder.append(name) }
        layerValues[name, default: [:]][String(parts[2])] = record.value
        measurementChanged = true
    }

    private mutating func rebuildMeasurement() {
        guard layerStep >= 0 else { return }
        let layers = layerOrder.map { name in
            let values = layerValues[name] ?? [:]
            return LayerMeasurement(
                name: name, shape: [], scale: values["scale"], log10E: values["log10E"] ?? .nan,
                activeFraction: values["active"] ?? .nan, weightRMS: values["weight_rms"] ?? .nan, activationMean: .nan,
                activationStd: values["act_std"] ?? .nan, gradientNorm: values["grad_norm"] ?? .nan,
                log10UpdateRatio: values["log10_update_ratio"], deadFraction: .nan, saturatedFraction: nil)
        }
        let sameStep = emergence.step == layerStep
        snapshot.lastMeasurement = MeasurementRecord(
            step: layerStep, log10E: sameStep ? emergence.log10E : .nan,
            log10CompleteE: sameStep ? emergence.complete : .nan, log10Relative: sameStep ? emergence.relative : .nan,
            layers: layers, wallTime: snapshot.wallTime)
    }
}
