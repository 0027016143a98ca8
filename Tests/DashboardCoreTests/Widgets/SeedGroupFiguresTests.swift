@testable import DashboardCore
@testable import EmergentCore
import Foundation
import Testing

/// A seed group's row aggregates its members where all of them are, and a finished run shows
/// its epoch's mean loss, not its last (partial) batch.
@Suite("Seed group rows and finished runs show figures of one point in training")
struct SeedGroupFiguresTests {
    static func members(steps: [Int], stepsPerEpoch: Int = 100, epochs: Int = 50) throws -> [RunSnapshot] {
        let experiment = try ExperimentConfig.parse(
            JSONParser.parse(
                #"{"model": {"widths": [16]}, "epochs": \#(epochs), "runs": [{"init": "kaiming", "seeds": \#(steps.count)}]}"#),
            defaultName: "test")
        return zip(experiment.runs, steps).enumerated().map { index, pair in
            let (config, steps) = pair
            var snapshot = RunSnapshot(id: index, config: config, stepsPerEpoch: stepsPerEpoch)
            snapshot.apply(.started(seed: config.seed))
            guard steps > 0 else { return snapshot }
            snapshot.apply(.initialized(InitReport(layers: [], probeForwards: 0)))
            for step in 1...steps {
                // Member m's loss at step s: 1 / s + m (so a mean at one step is known exactly).
                snapshot.apply(
                    .step(
                        StepRecord(
                            step: step, epoch: step / stepsPerEpoch, loss: 1 / Double(step) + Double(index),
                            accuracy: 0.5, learningRate: 0.05, gradientNorm: 1, samples: 128, samplesPerSecond: 1,
                            wallTime: Double(step))))
                if step % stepsPerEpoch == 0 {
                    let epoch = step / stepsPerEpoch
                    snapshot.apply(
                        .epochEnded(
                            EpochRecord(
                                epoch: epoch, step: step, trainLoss: 0.4, trainAccuracy: 0.8,
                                test: ["test/loss": 0.6, "test/acc": 0.5 + 0.01 * Double(epoch)],
                                wallTime: Double(step))))
                }
            }
            return snapshot
        }
    }

    static func row(_ runs: [RunSnapshot], containing text: String) throws -> String {
        var state = DashboardState(experiment: "test", dataset: "fashion-mnist-small", model: "mlp")
        _ = state.handle(.snapshots(runs, elapsed: 1, cpu: nil))
        let screen = DashboardView.render(state, width: 200, height: 60, theme: .builtIn).text
        return try #require(screen.split(separator: "\n").first { $0.contains(text) }.map(String.init))
    }

    @Test("members at steps 576, 40 and 40: the row is at step 40 and epoch 0, the loss the mean at step 40, no test value yet")
    func commonStep() throws {
        let runs = try Self.members(steps: [576, 40, 40])
        let figures = SeedGroupFigures(runs)
        #expect(figures.step == 40 && figures.epoch == 0 && figures.covered == 3)
        // Losses at step 40: 1/40 + 0, 1/40 + 1, 1/40 + 2.
        #expect(figures.losses == [0.025, 1.025, 2.025])
        #expect(figures.tests.isEmpty && figures.bests.isEmpty)
        let row = try Self.row(runs, containing: "kaiming ×3")
        #expect(row.contains("40/5000") && row.contains("0/50"), "\(row)")
        #expect(row.contains("1.0250±1.0000"), "\(row)")
        #expect(!row.contains("576"), "\(row)")
    }

    @Test("members at epochs 9 and 2: test and best are taken at epoch 2 for both; a queued member is left out and counted")
    func commonEpoch() throws {
        let runs = try Self.members(steps: [950, 250, 0])
        let figures = SeedGroupFigures(runs)
        #expect(figures.covered == 2 && figures.epoch == 2 && figures.step == 250)
        // test/acc at epoch 2 is 0.52 for both: not 0.59 averaged with 0.52.
        #expect(figures.tests == [0.52, 0.52] && figures.bests == [0.52, 0.52])
        let row = try Self.row(runs, containing: "kaiming ×3")
        #expect(row.contains("(2 in figures)") && row.contains("52.00±0.00"), "\(row)")
    }

    @Test("a finished run shows its last epoch's mean loss, not its last batch's")
    func finishedRunLoss() throws {
        var run = try Self.members(steps: [300], stepsPerEpoch: 100, epochs: 3)[0]
        run.apply(.finished(step: 300))
        #expect(run.status == .done)
        #expect(run.latest["train/loss"] == 1.0 / 300 && run.shownLoss == 0.4)
        let row = try Self.row([run], containing: "kaiming")
        #expect(row.contains("0.4000") && !row.contains("0.0033"), "\(row)")
    }
}
