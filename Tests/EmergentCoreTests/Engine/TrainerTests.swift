@testable import EmergentCore
import Foundation
import Testing

@Suite("Trainer: control equivalence, measurement without trace, transformer, updater")
struct TrainerTests {
    @Test("the control run's loss matches the emergence run's for 200 steps (bias-free ReLU MLP, SGD with momentum)")
    func controlEquivalence() throws {
        let experiment = try EngineFixtures.experiment(
            #"{"init": "emergence:alpha=1.2", "control": true}"#,
            model: #"{"kind": "mlp", "widths": [32, 32, 32], "bias": false}"#,
            extra: #""epochs": 1, "epoch_size": 3200"#)
        #expect(experiment.runs.count == 2)
        #expect(
            experiment.runs[1].label == "control of emergence:alpha=1.2"
                && experiment.runs[1].initializer.description == "kaiming")
        let data = try EngineFixtures.imageData(train: 3200)
        let events = EngineFixtures.train(experiment.runs, data: data, workers: 2)
        let emergence = EngineFixtures.steps(events[0]), control = EngineFixtures.steps(events[1])
        #expect(emergence.count == 200 && control.count == 200)
        let largest = zip(emergence, control).map { abs($0.loss - $1.loss) / abs($0.loss) }.max()!
        #expect(largest < 1e-4, "largest relative loss difference \(largest)")
        // Without the multipliers the two differ by far more: the tolerance is meaningful.
        var plain = experiment.runs[1]
        plain.controlOf = nil
        let uncontrolled = EngineFixtures.steps(EngineFixtures.train([plain], data: data, workers: 1)[0])
        #expect(zip(emergence, uncontrolled).map { abs($0.loss - $1.loss) / abs($0.loss) }.max()! > 1e-2)

        // The control's report carries its multipliers, 1/c² of the emergence run's factor c
        // for each layer (SGD), and the run folder's event line keeps them.
        func report(_ events: [RunEvent]) -> InitReport? {
            events.lazy.compactMap { if case let .initialized(report) = $0 { report } else { nil } }.first
        }
        let factors = try #require(report(events[0])).scales
        let controlReport = try #require(report(events[1]))
        let multipliers = try #require(controlReport.learningRateMultipliers)
        #expect(Set(multipliers.keys) == Set(factors.keys) && factors.count == 4, "\(multipliers) \(factors)")
        for (layer, c) in factors { #expect(abs(multipliers[layer]! - 1 / (c * c)) < 1e-6, "\(layer)") }
        #expect(factors.values.contains { abs($0 - 1) > 0.1 }, "the factors differ from 1: the check is not vacuous")
        #expect(report(events[0])?.learningRateMultipliers == nil)
        let recorded = try #require(RecordedEvent(.initialized(controlReport), wallTime: 0))
        let reread = try RecordedEvent(JSONParser.parse(recorded.line))
        #expect(reread.event == .initialized(controlReport))
    }

    @Test("measuring every step and every 1000 steps leaves training identical, with BatchNorm and with dropout")
    func measurementLeavesNoTrace() throws {
        let data = try EngineFixtures.imageData()
        for model in [
            #"{"kind": "mlp", "widths": [16, 16], "batch_norm": true}"#,
            #"{"kind": "mlp", "widths": [16, 16], "dropout": 0.3}"#,
        ] {
            let often = try EngineFixtures.experiment(
                #"{"init": "kaiming"}"#, model: model, extra: #""measure": {"every": 1}"#)
            let rarely = try EngineFixtures.experiment(
                #"{"init": "kaiming"}"#, model: model, extra: #""measure": {"every": 1000}"#)
            let a = EngineFixtures.train(often.runs, data: data, workers: 1)[0]
            let b = EngineFixtures.train(rarely.runs, data: data, workers: 1)[0]
            #expect(EngineFixtures.steps(a) == EngineFixtures.steps(b))
            #expect(EngineFixtures.epochs(a) == EngineFixtures.epochs(b))
            let measured = { (events: [RunEvent]) in
                events.filter { if case .measured = $0 { true } else { false } }.count
            }
            #expect(measured(a) == 1 + 24 && measured(b) == 1 + 2, "step 0, every step or each epoch end")
        }
    }

    @Test("the transformer's loss falls and its token accuracy rises on German number words")
    func transformerTrains() throws {
        let model =
            #"{"kind": "transformer", "width": 32, "heads": 2, "encoder_layers": 1, "decoder_layers": 1, "feed_forward": 64, "max_length": 48}"#
        let experiment = try EngineFixtures.experiment(
            #"{"init": "kaiming"}"#, model: model,
            extra:
                #""dataset": "de-en-numbers", "epochs": 4, "optimizer": {"kind": "adam", "lr": 0.003}, "schedule": {"kind": "constant"}, "decode_size": 20, "eval_size": 40"#
        )
        let events = EngineFixtures.train(experiment.runs, data: try EngineFixtures.translationData(), workers: 1)[0]
        let steps = EngineFixtures.steps(events), epochs = EngineFixtures.epochs(events)
        #expect(epochs.count == 4)
        #expect(
            epochs.last!.trainLoss < 0.7 * steps.first!.loss, "loss \(steps.first!.loss) → \(epochs.last!.trainLoss)")
        #expect(epochs.last!.trainAccuracy > epochs.first!.trainAccuracy + 0.05)
        for key in ["test/loss", "test/acc", "test/greedy_token_acc", "test/exact_match", "test/bleu"] {
            #expect(epochs.last!.test[key].map { $0.isFinite && $0 >= 0 } == true, "\(key)")
        }
        #expect(events.contains { if case let .measured(m) = $0 { m.step == 0 && m.layers.count == 5 } else { false } })
    }

    @Test("the weight updater trains inside the trainer: warm-up progress, then frozen scales in the snapshot")
    func updaterInsideTrainer() throws {
        let experiment = try EngineFixtures.experiment(#"{"init": "updater:warmup=5"}"#)
        let snapshot = try EngineFixtures.finished(experiment.runs[0], data: EngineFixtures.imageData())
        #expect(snapshot.status == .done)
        #expect(
            snapshot.events.contains {
                if case let .updaterFrozen(step, scales, parameters, _, _) = $0 {
                    step == 5 && scales.count == 3 && parameters == 37
                } else {
                    false
                }
            })
        #expect(snapshot.updaterScales?.keys.sorted() == ["dense1", "dense2", "dense3"])
    }

    @Test("an initializer that does not apply fails its run with the reason; nothing else is affected")
    func failedInitialization() throws {
        var config = try EngineFixtures.experiment(#"{"init": "kaiming"}"#).runs[0]
        config.initializer = try InitializerSpec(parsing: "tfixup")
        let events = EngineFixtures.train([config], data: try EngineFixtures.imageData(), workers: 1)[0]
        #expect(events.count == 2)
        if case let .failed(step, message) = events.last {
            #expect(step == 0 && message.contains("tfixup"))
        } else {
            Issue.record("\(events)")
        }
    }

    @Test("the snapshot holds the latest values, the epoch table and bounded histories")
    func snapshotFold() throws {
        let experiment = try EngineFixtures.experiment(#"{"init": "kaiming"}"#)
        let snapshot = try EngineFixtures.finished(experiment.runs[0], data: EngineFixtures.imageData())
        #expect(snapshot.step == 24 && snapshot.epoch == 2 && snapshot.totalSteps == 24)
        #expect(snapshot.series["train/loss"]?.count == 24)
        #expect(snapshot.series["emergence/log10E"]?.count == 1 + 8, "step 0 and every 3 steps, epoch ends among them")
        #expect(snapshot.firstEpochTest != nil && snapshot.bestTest! >= snapshot.firstEpochTest!)
        #expect(snapshot.lastMeasurement?.layers.map(\.name) == ["dense1", "dense2", "dense3"])
        #expect(snapshot.lastMeasurement?.layers.allSatisfy { $0.log10UpdateRatio != nil && $0.scale == 1 } == true)
    }
}
