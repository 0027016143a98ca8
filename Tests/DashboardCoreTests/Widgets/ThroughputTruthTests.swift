@testable import DashboardCore
@testable import EmergentCore
import Foundation
import Testing

/// Throughput and ETA come from each run's progress over the dashboard's clock: ten runs
/// sharing two cores, whose steps each report 4,000 samples/s, are shown at the rate they
/// really progress, and the header sums those rates. A fake clock drives the frames, so the
/// figures do not depend on this machine's speed.
@Suite("The runs table's samples/s and ETA are the runs' real progress")
struct ThroughputTruthTests {
    /// Run `index` advances `index + 1` steps of 16 samples each fake second.
    static func runs(at second: Int) throws -> [RunSnapshot] {
        let experiment = try ExperimentConfig.parse(
            JSONParser.parse(
                #"{"model": {"widths": [16]}, "batch_size": 16, "epochs": 50, "runs": [{"init": "kaiming", "seeds": 10}]}"#
            ),
            defaultName: "test")
        return experiment.runs.enumerated().map { index, config in
            var snapshot = RunSnapshot(id: index, config: config, stepsPerEpoch: 100)
            snapshot.apply(.started(seed: config.seed))
            snapshot.apply(.initialized(InitReport(layers: [], probeForwards: 0)))
            let step = (index + 1) * second
            if step > 0 {
                snapshot.apply(
                    .step(
                        StepRecord(
                            step: step, epoch: step / 100, loss: 1, accuracy: 0.5, learningRate: 0.05, gradientNorm: 1,
                            samples: 16, samplesPerSecond: 4000, wallTime: Double(second))))
            }
            return snapshot
        }
    }

    @Test("each row's samples/s equals its progress per second of the clock, the ETA its remaining steps at that rate, and the header the sum")
    func ratesFromProgress() throws {
        var state = DashboardState(experiment: "test", dataset: "fashion-mnist-small", model: "mlp")
        _ = state.handle(.resized(width: 200, height: 60))
        // Frames four times a second for 20 s of the fake clock.
        for quarter in 0...80 {
            let second = Double(quarter) / 4
            _ = state.handle(.snapshots(try Self.runs(at: Int(second)), elapsed: second, cpu: 1))
        }
        let screen = DashboardView.render(state, width: 200, height: 60, theme: .builtIn).text
        let lines = screen.split(separator: "\n").map(String.init)
        // 10 runs ×1 … ×10 steps/s of 16 samples: 16 · (1 + … + 10) = 880 samples/s in all.
        #expect(lines[0].contains("880 samples/s"), "\(lines[0])")
        #expect(!screen.contains("4000"), "a step's own speed is not shown")
        for index in 0..<10 {
            let rate = state.rates.rate(of: index)
            #expect(rate.map { abs($0 - Double(16 * (index + 1))) < 1e-9 } == true, "run \(index): \(rate ?? -1)")
        }
        // The seed group's row: its members' rates summed, and the ETA of the slowest, run 0
        // (×1: at step 20 of 5000, 4980 steps remain at 1 step/s: 83:00).
        let row = try #require(lines.first { $0.contains("kaiming ×10") })
        #expect(row.contains(" 880 ") && row.contains("83:00"), "\(row)")
        #expect(state.rates.remainingSeconds(state.runs[9]) == Double(5000 - 200) / 10)
    }

    @Test("a rate is not claimed before a second of the clock has passed, and a paused run's rate falls to 0")
    func unknownAndPaused() throws {
        var rates = ProgressRates()
        var runs = try Self.runs(at: 1)
        rates.record(runs, at: 0)
        rates.record(try Self.runs(at: 1), at: 0.5)
        #expect(rates.rate(of: 0) == nil)
        // Run 0 stops moving (paused) from second 1 on: over a window past its last step, 0.
        runs = try Self.runs(at: 2)
        rates.record(runs, at: 2)
        for second in 3...14 { rates.record(runs, at: Double(second)) }
        #expect(rates.rate(of: 0) == 0)
        #expect(rates.remainingSeconds(runs[0]) == nil)
    }
}
