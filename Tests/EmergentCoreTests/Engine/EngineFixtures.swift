@testable import EmergentCore
import Foundation
import Synchronization
import Testing

/// Small, learnable data and experiments for the run-engine tests (debug builds train
/// slowly, so the models and sets are tiny).
enum EngineFixtures {
    /// Images of 1×8×8 in four classes: a class pattern plus noise.
    static func images(train: Int = 192, test: Int = 64, classes: Int = 4) -> ImageDatasetSplits {
        var generator = SeededRandom(seed: 11)
        let patterns = (0..<classes).map { _ in (0..<64).map { _ in Double(generator.next() % 200) } }
        func split(_ count: Int) -> ImageDataset {
            var pixels: [UInt8] = [], labels: [UInt8] = []
            for index in 0..<count {
                let label = index % classes
                labels.append(UInt8(label))
                pixels += patterns[label].map { UInt8(min(max($0 + Double(generator.next() % 56), 0), 255)) }
            }
            return ImageDataset(
                name: "synthetic", channels: 1, height: 8, width: 8, pixels: pixels, labels: labels,
                classNames: (0..<classes).map(String.init))
        }
        let trainSet = split(train)
        return ImageDatasetSplits(train: trainSet, test: split(test), normalization: trainSet.pixelStatistics())
    }

    static func imageData(train: Int = 192, probe: Int = 32) throws -> ExperimentData {
        try ExperimentData(
            dataset: "synthetic", content: .images(images(train: train)), experimentSeed: 0, probeSize: probe)
    }

    /// German number words and their English, a small slice of de-en-numbers.
    static func translationData() throws -> ExperimentData {
        let pairs = (0..<500).map {
            TranslationPair(source: GermanNumbers.german($0), target: GermanNumbers.english($0))
        }
        let splits = TranslationSplits(name: "numbers", train: Array(pairs[..<420]), test: Array(pairs[420...]))
        let tokenizer = CharacterTokenizer(texts: pairs.flatMap { [$0.source, $0.target] })
        return try ExperimentData(
            dataset: "numbers", content: .translation(splits, tokenizer: tokenizer), experimentSeed: 0, probeSize: 32)
    }

    /// An MLP experiment (8×8 inputs, widths 16-16 unless `model` says otherwise) with `runs`;
    /// `extra` holds members laid over the defaults (`"epochs": 3`).
    static func experiment(
        _ runs: String, model: String = #"{"kind": "mlp", "widths": [16, 16]}"#, extra: String = ""
    ) throws -> ExperimentConfig {
        let base = try JSONParser.parse(
            """
            {"model": \(model), "batch_size": 16, "epochs": 2, "probe_size": 32, "measure": {"every": 3}, "runs": [\(runs)]}
            """)
        return try ExperimentConfig.parse(base.merging(JSONParser.parse("{" + extra + "}")), defaultName: "test")
    }

    /// Trains `configs` and returns each run's events (by add order) with timings zeroed.
    static func train(
        _ configs: [RunConfig], data: ExperimentData, workers: Int, budget: SliceBudget = .steps(2),
        oneAtATime: Bool = false, onEvent: (@Sendable (RunManager, Int, RunEvent) -> Void)? = nil
    ) -> [[RunEvent]] {
        let manager = RunManager(data: data, workers: workers, budget: budget)
        let events = Mutex<[Int: [RunEvent]]>([:])
        manager.subscribe { [manager] id, event in
            events.withLock { $0[id, default: []].append(withoutTimings(event)) }
            onEvent?(manager, id, event)
        }
        manager.start()
        var ids: [Int] = []
        for config in configs {
            ids.append(manager.add(config))
            if oneAtATime { manager.waitUntilSettled() }
        }
        manager.waitUntilSettled()
        manager.shutdown()
        let collected = events.withLock { $0 }
        return ids.map { collected[$0] ?? [] }
    }

    /// The snapshot of one run trained to its end on one worker.
    static func finished(_ config: RunConfig, data: ExperimentData) throws -> RunSnapshot {
        let manager = RunManager(data: data, workers: 1)
        let id = manager.add(config)
        manager.start()
        manager.waitUntilSettled()
        manager.shutdown()
        return try #require(manager.snapshot(id))
    }

    /// The event with every clock reading zeroed: what must be equal between two runs.
    static func withoutTimings(_ event: RunEvent) -> RunEvent {
        switch event {
        case let .step(r):
            return .step(
                StepRecord(
                    step: r.step, epoch: r.epoch, loss: r.loss, accuracy: r.accuracy, learningRate: r.learningRate,
                    gradientNorm: r.gradientNorm, samples: r.samples, samplesPerSecond: 0, wallTime: 0))
        case let .measured(r):
            return .measured(
                MeasurementRecord(
                    step: r.step, log10E: r.log10E, log10CompleteE: r.log10CompleteE,
                    log10Relative: r.log10Relative, layers: r.layers, wallTime: 0))
        case let .epochEnded(r):
            return .epochEnded(
                EpochRecord(
                    epoch: r.epoch, step: r.step, trainLoss: r.trainLoss, trainAccuracy: r.trainAccuracy,
                    test: r.test, wallTime: 0))
        case let .initialized(report):
            var report = report
            report.seconds = 0
            return .initialized(report)
        case let .checkpointed(checkpoint):
            var checkpoint = checkpoint
            checkpoint.header.wallTime = 0
            checkpoint.header.samplesPerSecond = 0
            checkpoint.header.initReport?.seconds = 0
            checkpoint.header.updater?.seconds = 0
            return .checkpointed(checkpoint)
        case let .updaterFrozen(step, scales, parameters, _, probeForwards):
            return .updaterFrozen(
                step: step, scales: scales, parameters: parameters, seconds: 0, probeForwards: probeForwards)
        default:
            return event
        }
    }

    static func steps(_ events: [RunEvent]) -> [StepRecord] {
        events.compactMap { if case let .step(record) = $0 { record } else { nil } }
    }

    static func epochs(_ events: [RunEvent]) -> [EpochRecord] {
        events.compactMap { if case let .epochEnded(record) = $0 { record } else { nil } }
    }
}
