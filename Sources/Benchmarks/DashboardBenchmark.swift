import DashboardCore
import EmergentCore
import Foundation
import Synchronization

/// The dashboard's two costs: building one frame (the view over full histories), and the
/// time from a key press to the end of the frame that shows it while every core trains.
public struct DashboardBenchmark: Sendable {
    public struct Report: Sendable {
        public let frameMilliseconds: [Double]
        public let keyToScreenMilliseconds: [Double]
        public let runs: Int
        public let width: Int
        public let height: Int
        public let pointsPerSeries: Int
    }

    public let experiment: ExperimentConfig
    public let data: ExperimentData
    public let frames: Int
    public let keys: Int
    public let width = 200, height = 60

    public init(experiment: ExperimentConfig, data: ExperimentData, frames: Int, keys: Int) {
        self.experiment = experiment
        self.data = data
        self.frames = frames
        self.keys = keys
    }

    /// Six runs with full histories: 20,000 steps each (1,024 recent points and 512 buckets
    /// a series), a measurement every 100 steps, an epoch every 1,000.
    func fullSnapshots() -> [RunSnapshot] {
        let templates = experiment.runs
        return (0..<6).map { (index: Int) -> RunSnapshot in
            var config = templates[index % templates.count]
            config.group = index
            var snapshot = RunSnapshot(id: index, config: config, stepsPerEpoch: 1000)
            snapshot.apply(.started(seed: 0))
            snapshot.apply(.initialized(InitReport(layers: [], probeForwards: 0)))
            let layers = (0..<7).map { layer in
                LayerMeasurement(
                    name: "dense\(layer + 1)", shape: [256, 256], scale: 1, log10E: Double(layer), activeFraction: 0.5,
                    weightRMS: 0.05, activationMean: 0.3, activationStd: 1, gradientNorm: 0.5, log10UpdateRatio: -3,
                    deadFraction: 0, saturatedFraction: nil)
            }
            for step in 1...20_000 {
                let x = Double(step)
                snapshot.apply(
                    .step(
                        StepRecord(
                            step: step, epoch: step / 1000, loss: 2 / (1 + x / 500) + 0.01 * sin(x), accuracy: 0.8,
                            learningRate: 0.05, gradientNorm: 1, samples: 128, samplesPerSecond: 5000, wallTime: x / 40)
                    ))
                if step % 100 == 0 {
                    snapshot.apply(
                        .measured(
                            MeasurementRecord(
                                step: step, log10E: 3 + sin(x / 1000), log10CompleteE: 3, log10Relative: -2,
                                layers: layers, wallTime: x / 40)))
                }
                if step % 1000 == 0 {
                    snapshot.apply(
                        .epochEnded(
                            EpochRecord(
                                epoch: step / 1000, step: step, trainLoss: 0.5, trainAccuracy: 0.8,
                                test: ["test/loss": 0.6, "test/acc": 0.8], wallTime: x / 40)))
                }
            }
            return snapshot
        }
    }

    public func measure() -> Report {
        // Frame build over full histories.
        var state = DashboardState(experiment: experiment.name, dataset: experiment.dataset, model: "mlp")
        _ = state.handle(.snapshots(fullSnapshots(), elapsed: 60, cpu: 2))
        var frameTimes: [Double] = []
        for _ in 0..<frames {
            let start = ContinuousClock.now
            let buffer = DashboardView.render(state, width: width, height: height, theme: .builtIn)
            precondition(buffer.width == width)
            frameTimes.append((ContinuousClock.now - start).seconds * 1000)
        }

        // Key to screen while the experiment trains on every core: keys arrive at random
        // moments from another thread, and the dashboard's own program (a key, the snapshots,
        // the reducer, the view) draws on a screen that waits for keys as the terminal does.
        var headless = experiment
        headless.writesRunFolders = false
        let latencies: [Double]
        do {
            let session = try ExperimentSession(headless, data: data)
            session.add(headless.runs)
            session.start()
            let screen = LatencyScreen(width: width, height: height, keys: keys)
            let source = LiveExperimentSource(session: session, inbox: ProblemInbox())
            var program = DashboardProgram(
                source: source, header: DashboardSourceHeader(headless), look: DashboardLook(theme: .builtIn, symbols: .braille))
            screen.startSending()
            program.run(on: screen)
            session.finish()
            latencies = screen.latencies
        } catch {
            preconditionFailure("the benchmark's experiment was loaded with its data: \(error)")
        }
        return Report(
            frameMilliseconds: frameTimes, keyToScreenMilliseconds: latencies, runs: 6, width: width, height: height,
            pointsPerSeries: 1024 + 512)
    }
}

extension Array where Element == Double {
    /// The value at quantile `q` (0...1) of the sorted values (nearest rank).
    public func quantile(_ q: Double) -> Double {
        guard !isEmpty else { return .nan }
        let sorted = self.sorted()
        return sorted[Swift.min(sorted.count - 1, Swift.max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))]
    }
}
