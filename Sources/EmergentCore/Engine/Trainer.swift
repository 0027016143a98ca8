import Foundation
import Kernels

/// How much work one slice does before the run yields its worker. A step is never split.
public enum SliceBudget: Sendable, Equatable {
    case steps(Int)
    case seconds(Double)

    /// 50 ms: short enough that runs sharing a core move together and commands apply at
    /// once, long enough that the fairness rule's waits stay at 2–3 % of the workers' time.
    public static let standard = SliceBudget.seconds(0.05)
}

/// One run: a resolved configuration and its seed, advanced slice by slice through its
/// phases (initializing, then training until done or diverged). It emits events and knows
/// nothing of who listens. Every random draw (data order, initialization, dropout, the
/// updater) comes from generators seeded by the run, so its numbers depend only on its
/// configuration and seed.
///
/// Not Sendable: a trainer is confined to one worker at a time (the run manager sees to it).
public final class Trainer {
    public private(set) var config: RunConfig
    let task: any TrainingTask
    public private(set) var status: RunStatus = .queued
    /// Steps done.
    public private(set) var step = 0
    /// Epochs done.
    public private(set) var epoch = 0
    public let stepsPerEpoch: Int
    /// Batches of the current epoch already trained: with `epoch`, the data cursor.
    public var batchInEpoch: Int { batchIndex }
    public private(set) var wallTime = 0.0

    private var optimizer: Optimizer
    private var updater: EmergentWeightUpdater?
    private var initReport: InitReport?
    private var learningRate: Double
    private var schedule: LearningRateSchedule
    private var emergence: EmergenceSettings
    private var scheduledChanges: [ParameterChange]
    private var initGenerator: SeededRandom
    private var updaterGenerator: SeededRandom
    private let dataSeed: UInt64
    private var batches: [[Int]] = []
    private var batchIndex = 0
    private var epochLoss = 0.0, epochCorrect = 0, epochCounted = 0
    private var samplesPerSecond = 0.0
    private var resumeStatus = RunStatus.training
    /// Weights before the last optimizer step, kept only when a measurement follows it.
    private var weightsBeforeStep: [Float]?

    /// Batches in an epoch: of `epoch_size` samples, or the whole training split.
    public static func stepsPerEpoch(_ settings: RunSettings, trainCount: Int) -> Int {
        let samples = min(settings.epochSize ?? trainCount, trainCount)
        return (samples + settings.batchSize - 1) / settings.batchSize
    }

    public init(config: RunConfig, data: ExperimentData) {
        self.config = config
        var root = SeededRandom(seed: config.seed)
        initGenerator = root.split()
        dataSeed = root.next()
        let dropoutSeed = root.next()
        updaterGenerator = root.split()
        task = TaskFactory.make(config, data: data, dropoutSeed: dropoutSeed)
        let settings = config.settings
        stepsPerEpoch = Self.stepsPerEpoch(settings, trainCount: task.trainCount)
        learningRate = settings.optimizer.learningRate
        schedule = settings.schedule.schedule(base: learningRate, totalSteps: stepsPerEpoch * settings.epochs)
        emergence = settings.measurement.emergence
        scheduledChanges = settings.changes
        optimizer = Optimizer(settings.optimizer.optimizerKind, clipNorm: settings.optimizer.clipNorm.map { Float($0) })
    }

    /// A trainer that goes on from `checkpoint` exactly as the run it was taken from would;
    /// refused with the reason when the checkpoint is another model's.
    public convenience init(
        config: RunConfig, data: ExperimentData, checkpoint: TrainerCheckpoint
    ) throws(CheckpointError) {
        self.init(config: config, data: data)
        try restore(checkpoint)
    }

    public var totalSteps: Int { stepsPerEpoch * config.settings.epochs }
    public var isTerminal: Bool { status.isTerminal }

    /// Runs one slice: the whole initialization on the first call, then training steps
    /// until the budget is used or the run ends.
    public func advance(_ budget: SliceBudget, emit: (RunEvent) -> Void) {
        guard !status.isTerminal, status != .paused else { return }
        if status == .queued {
            initialize(emit: emit)
            return
        }
        let sliceStart = ContinuousClock.now
        var steps = 0
        while status == .training {
            trainStep(emit: emit)
            steps += 1
            switch budget {
            case let .steps(count): if steps >= count { return }
            case let .seconds(seconds): if (ContinuousClock.now - sliceStart).seconds >= seconds { return }
            }
        }
    }

    private func initialize(emit: (RunEvent) -> Void) {
        status = .initializing
        emit(.started(seed: config.seed))
        let spec = config.initializer
        let total = [.gradinit, .nio, .metainit].contains(spec.scheme) ? Int(spec.number("iterations")) : 1
        do {
            var report = try task.initialize(spec, using: &initGenerator) { progress in
                emit(.initProgress(iteration: progress.iteration + 1, total: total, terms: progress.terms))
            }
            updater = try task.makeUpdater(spec, using: &updaterGenerator)
            if let emergenceSpec = config.controlOf {
                optimizer.learningRateMultipliers = try emergenceSpec.controlMultipliers(
                    for: task.initTarget, adaptive: config.settings.optimizer.kind != .sgd)
                // By layer, as the report names its rows (the optimizer's keys are parameters).
                let layerOf = Dictionary(
                    task.initTarget.weightsInOrder.map { ($0.weight.name, $0.name) }, uniquingKeysWith: { a, _ in a })
                report.learningRateMultipliers = Dictionary(
                    optimizer.learningRateMultipliers.map { (layerOf[$0.key] ?? $0.key, Double($0.value)) },
                    uniquingKeysWith: { a, _ in a })
            }
            initReport = report
            wallTime = report.seconds
            status = .training
            emit(.initialized(report))
        } catch {
            status = .failed
            emit(.failed(step: 0, message: error.description))
            return
        }
        applyScheduledChanges(emit: emit)
        measure(probeGradients: true, emit: emit)
    }

    private func trainStep(emit: (RunEvent) -> Void) {
        let start = ThreadCPUClock.seconds()
        if batches.isEmpty {
            let settings = config.settings
            batches = task.batches(
                epoch: epoch, batchSize: settings.batchSize, epochSize: settings.epochSize, seed: dataSeed)
        }
        let rate = schedule.rate(at: step)
        let result = task.forwardBackward(batches[batchIndex])
        step += 1
        batchIndex += 1
        guard result.loss.isFinite else {
            wallTime += (ThreadCPUClock.seconds() - start)
            emit(.step(record(result, rate: rate, norm: .nan)))
            status = .diverged
            emit(.diverged(step: step, loss: result.loss))
            return
        }
        if let updater, updater.isWarmingUp, let progress = updater.observe(loss: result.loss) {
            emit(.updaterProgress(step: step, scales: progress.scales, logEmergence: progress.logEmergence))
            if !updater.isWarmingUp {
                emit(
                    .updaterFrozen(
                        step: step, scales: updater.scales, parameters: updater.parameterCount,
                        seconds: updater.seconds,
                        probeForwards: updater.probeForwards))
            }
        }
        let endsEpoch = batchIndex == batches.count
        let measures = endsEpoch || step % config.settings.measurement.every == 0
        if measures {
            weightsBeforeStep = Array(UnsafeBufferPointer(start: task.store.values, count: task.store.count))
        }
        let norm = optimizer.step(task.store, learningRate: Float(rate))
        epochLoss += result.loss * Double(result.counted)
        epochCorrect += result.correct
        epochCounted += result.counted
        let seconds = (ThreadCPUClock.seconds() - start)
        wallTime += seconds
        let rateNow = Double(result.samples) / max(seconds, 1e-9)
        samplesPerSecond = samplesPerSecond == 0 ? rateNow : 0.9 * samplesPerSecond + 0.1 * rateNow
        emit(.step(record(result, rate: rate, norm: norm)))
        applyScheduledChanges(emit: emit)
        if measures { measure(probeGradients: false, emit: emit) }
        if endsEpoch { endEpoch(emit: emit) }
    }

    private func record(_ result: BatchLoss, rate: Double, norm: Double) -> StepRecord {
        StepRecord(
            step: step, epoch: epoch, loss: result.loss,
            accuracy: Double(result.correct) / Double(max(result.counted, 1)),
            learningRate: rate, gradientNorm: norm, samples: result.samples, samplesPerSecond: samplesPerSecond,
            wallTime: wallTime)
    }

    private func endEpoch(emit: (RunEvent) -> Void) {
        let start = ThreadCPUClock.seconds()
        let test = task.evaluate()
        wallTime += (ThreadCPUClock.seconds() - start)
        epoch += 1
        let counted = Double(max(epochCounted, 1))
        emit(
            .epochEnded(
                EpochRecord(
                    epoch: epoch, step: step, trainLoss: epochLoss / counted,
                    trainAccuracy: Double(epochCorrect) / counted, test: test, wallTime: wallTime)))
        batches = []
        batchIndex = 0
        epochLoss = 0
        epochCorrect = 0
        epochCounted = 0
        emit(.checkpointed(checkpoint()))
        if epoch >= config.settings.epochs {
            status = .done
            emit(.finished(step: step))
        }
    }

    /// The probe's emergence and layer table. Gradient norms are the last training step's
    /// (at step 0, a probe backward's); nothing about the run changes: probe passes keep
    /// running statistics and dropout generators as they are.
    private func measure(probeGradients: Bool, emit: (RunEvent) -> Void) {
        let start = ThreadCPUClock.seconds()
        if probeGradients { task.probeForwardBackward() } else { task.probeForward() }
        let measurement = ModelMeasurement(map: task.signalMap, store: task.store, settings: emergence)
            .with(scales: layerScales(), updateRatios: updateRatios())
        if probeGradients { task.store.zeroGradients() }
        weightsBeforeStep = nil
        wallTime += (ThreadCPUClock.seconds() - start)
        emit(
            .measured(
                MeasurementRecord(
                    step: step, log10E: measurement.log10E, log10CompleteE: measurement.log10CompleteE,
                    log10Relative: measurement.log10Relative, layers: measurement.layers, wallTime: wallTime)))
    }

    /// Each node layer's applied scale: the initializer's, times the updater's learned one.
    private func layerScales() -> [String: Double] {
        guard let initReport else { return [:] }
        var scales = InitMeasurement.nodeScales(task.signalMap, initReport, task.initTarget)
        for (name, scale) in updater?.scales ?? [:] { scales[name] = (scales[name] ?? 1) * scale }
        return scales
    }

    /// log10(‖ΔW‖/‖W‖) of the last step, per node layer's weight.
    private func updateRatios() -> [String: Double] {
        guard let before = weightsBeforeStep else { return [:] }
        var ratios: [String: Double] = [:]
        let store = task.store
        for layer in task.signalMap.layers {
            let weights = store.value(layer.weight), offset = layer.weight.offset
            var change = 0.0, norm = 0.0
            for i in 0..<layer.weight.count {
                let value = Double(weights[i]), delta = value - Double(before[offset + i])
                change += delta * delta
                norm += value * value
            }
            if norm > 0, change > 0 { ratios[layer.name] = 0.5 * log10(change / norm) }
        }
        return ratios
    }

    private func applyScheduledChanges(emit: (RunEvent) -> Void) {
        while let next = scheduledChanges.first, next.step <= step {
            scheduledChanges.removeFirst()
            change(next.parameter, to: next.value, emit: emit)
        }
    }

    /// A live change between slices: learning rate (the schedule's peak), momentum, weight
    /// decay, or τ (which re-measures the latest point).
    public func change(_ parameter: ParameterChange.Parameter, to value: Double, emit: (RunEvent) -> Void) {
        // Scheduled changes were checked when the file was read, live ones by the manager;
        // a run that has no such setting (momentum under Adam) keeps going without it.
        guard parameter.refusal(of: value, for: config) == nil else { return }
        let old: Double
        switch parameter {
        case .learningRate:
            old = learningRate
            learningRate = value
            schedule = config.settings.schedule.schedule(base: value, totalSteps: totalSteps)
        case .momentum:
            guard case let .sgd(momentum, nesterov, decay) = optimizer.kind else { return }
            old = Double(momentum)
            optimizer.kind = .sgd(momentum: Float(value), nesterov: nesterov, weightDecay: decay)
        case .weightDecay:
            switch optimizer.kind {
            case let .sgd(momentum, nesterov, decay):
                old = Double(decay)
                optimizer.kind = .sgd(momentum: momentum, nesterov: nesterov, weightDecay: Float(value))
            case let .adam(beta1, beta2, epsilon, decay):
                old = Double(decay)
                optimizer.kind = .adam(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: Float(value))
            case let .adamW(beta1, beta2, epsilon, decay):
                old = Double(decay)
                optimizer.kind = .adamW(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: Float(value))
            }
        case .tau:
            old = emergence.tau
            emergence.tau = value
        }
        emit(.parameterChanged(step: step, parameter: parameter, old: old, new: value))
        if parameter == .tau && initReport != nil { measure(probeGradients: step == 0, emit: emit) }
    }

    /// A new length in epochs. The schedule is rebuilt for the new total (keeping its peak);
    /// a finished run trains on when it is longer, a training one finishes when it is not.
    public func changeEpochs(to epochs: Int, emit: (RunEvent) -> Void) {
        guard RunCommand.epochRange.contains(epochs), epochs != config.settings.epochs,
            [.queued, .initializing, .training, .paused, .done].contains(status)
        else { return }
        let old = config.settings.epochs
        config.settings.epochs = epochs
        schedule = config.settings.schedule.schedule(base: learningRate, totalSteps: totalSteps)
        emit(.epochsChanged(step: step, old: old, new: epochs))
        if status == .done && epoch < epochs {
            status = .training
        } else if epoch >= epochs && (status == .training || status == .paused) {
            status = .done
            emit(.finished(step: step))
        }
    }

    /// Holds the run between slices; a paused trainer does not advance.
    public func pause(emit: (RunEvent) -> Void) {
        guard status == .training || status == .queued else { return }
        resumeStatus = status
        status = .paused
        emit(.paused(step: step))
    }

    public func resume(emit: (RunEvent) -> Void) {
        guard status == .paused else { return }
        status = resumeStatus
        emit(.resumed(step: step))
    }

    /// A checkpoint now, between steps (inside an epoch when the run is in one): a time
    /// limit's warning or a periodic save. Only a run that has trained and can train on has
    /// one to take; an ended run's last epoch end already holds everything.
    public func checkpointNow(emit: (RunEvent) -> Void) {
        guard status == .training || (status == .paused && resumeStatus == .training) else { return }
        emit(.checkpointed(checkpoint()))
    }

    /// Stops the run for good at its current step.
    public func cancel(emit: (RunEvent) -> Void) {
        guard !status.isTerminal else { return }
        status = .cancelled
        emit(.cancelled(step: step))
    }

    // MARK: - Checkpoints

    /// The whole state between steps: at an epoch end, where the data cursor is the epoch
    /// alone; inside an epoch, with the batches done and the epoch's running sums, so a
    /// trainer made from it trains the rest of the epoch as this one would.
    public func checkpoint() -> TrainerCheckpoint {
        let moments = optimizer.state
        let header = TrainerCheckpoint.Header(
            step: step, epoch: epoch, epochs: config.settings.epochs, wallTime: wallTime,
            samplesPerSecond: samplesPerSecond, learningRate: learningRate, optimizer: optimizer.kind,
            optimizerSteps: moments.stepCount, learningRateMultipliers: optimizer.learningRateMultipliers,
            tau: emergence.tau, initGenerator: initGenerator, updaterGenerator: updaterGenerator,
            initReport: initReport, layers: LayerState.capture(task.statefulLayers), updater: updater?.state)
        var stamped = header
        if batchIndex > 0 {
            stamped.batchInEpoch = batchIndex
            stamped.epochSums = [epochLoss, Double(epochCorrect), Double(epochCounted)]
        }
        // SGD never reads the second moment: it is stored empty (a third of the file).
        let usesSecondMoment = if case .sgd = optimizer.kind { false } else { true }
        return TrainerCheckpoint(
            header: stamped, parameters: Array(UnsafeBufferPointer(start: task.store.values, count: task.store.count)),
            firstMoment: moments.firstMoment, secondMoment: usesSecondMoment ? moments.secondMoment : [])
    }

    private func restore(_ checkpoint: TrainerCheckpoint) throws(CheckpointError) {
        let header = checkpoint.header
        let count = task.store.count
        guard checkpoint.parameters.count == count else {
            throw CheckpointError(
                reason: "it holds \(checkpoint.parameters.count) parameters; this run's model has \(count)")
        }
        let inEpoch = header.batchInEpoch ?? 0
        guard header.epoch >= 0, (0..<stepsPerEpoch).contains(inEpoch), header.step == header.epoch * stepsPerEpoch + inEpoch,
            batchIndex == 0, inEpoch == 0 || header.epochSums?.count == 3
        else {
            throw CheckpointError(
                reason: "step \(header.step) is not batch \(inEpoch) of epoch \(header.epoch + 1) at \(stepsPerEpoch) "
                    + "steps per epoch")
        }
        let moments = checkpoint.firstMoment.count
        guard [0, count].contains(moments), [0, moments].contains(checkpoint.secondMoment.count) else {
            throw CheckpointError(reason: "its optimizer moments do not match the model's \(count) parameters")
        }
        if case .sgd = header.optimizer {
        } else if checkpoint.secondMoment.count != moments {
            throw CheckpointError(reason: "it lacks Adam's second moment")
        }
        guard LayerState.restore(header.layers, into: task.statefulLayers) else {
            throw CheckpointError(reason: "its layer states do not match this run's model")
        }
        checkpoint.parameters.withUnsafeBufferPointer { task.store.values.update(from: $0.baseAddress!, count: count) }
        optimizer.state = Optimizer.State(
            firstMoment: checkpoint.firstMoment,
            secondMoment: checkpoint.secondMoment.isEmpty
                ? [Float](repeating: 0, count: moments) : checkpoint.secondMoment,
            stepCount: header.optimizerSteps)
        optimizer.kind = header.optimizer
        optimizer.learningRateMultipliers = header.learningRateMultipliers
        initGenerator = header.initGenerator
        updaterGenerator = header.updaterGenerator
        if let state = header.updater {
            // The updater's h comes from the checkpoint; the generator here only builds the shell.
            var shell = SeededRandom(seed: 0)
            do { updater = try task.makeUpdater(config.initializer, using: &shell) } catch {
                throw CheckpointError(reason: "its weight updater cannot be rebuilt: \(error.description)")
            }
            guard updater?.restore(state) == true else {
                throw CheckpointError(reason: "its weight updater does not match this run's model")
            }
        }
        initReport = header.initReport
        learningRate = header.learningRate
        config.settings.epochs = header.epochs
        schedule = config.settings.schedule.schedule(base: learningRate, totalSteps: totalSteps)
        emergence.tau = header.tau
        scheduledChanges.removeAll { $0.step <= header.step }
        step = header.step
        epoch = header.epoch
        // Inside an epoch: its batches are drawn again from the epoch and the data seed, and
        // the cursor and sums go on from where they were.
        batchIndex = inEpoch
        if let sums = header.epochSums, inEpoch > 0 {
            epochLoss = sums[0]
            epochCorrect = Int(sums[1])
            epochCounted = Int(sums[2])
        }
        wallTime = header.wallTime
        samplesPerSecond = header.samplesPerSecond
        status = epoch >= header.epochs ? .done : .training
    }
}
