import EmergentCore
import Foundation

/// Runs side by side against runs alone: the samples/s of an experiment's runs sharing the
/// workers, against what the same runs reach each alone on one core, scaled to the worker
/// count (ideal sharing: `workers / runs` of each lone rate). Also the fairness spread, the
/// largest difference in slices between runs at any snapshot, and the resident memory.
public struct RunsBenchmark {
    public struct Report: Sendable {
        public let runs: [String]
        public let workers: Int
        public let aloneSamplesPerSecond: [Double]
        public let togetherSamplesPerSecond: Double
        /// together / (workers / runs · Σ alone).
        public var ratio: Double {
            togetherSamplesPerSecond / (Double(workers) / Double(runs.count) * aloneSamplesPerSecond.reduce(0, +))
        }
        public let largestSliceSpread: Int
        public let snapshotsSampled: Int
        public let residentBytes: Int
        public let seconds: Double
    }

    public let experiment: ExperimentConfig
    public let data: ExperimentData
    public let workers: Int
    public let seconds: Double

    public init(experiment: ExperimentConfig, data: ExperimentData, workers: Int, seconds: Double) {
        var experiment = experiment
        // Long enough never to finish inside a measurement window.
        for index in experiment.runs.indices { experiment.runs[index].settings.epochs = 1000 }
        self.experiment = experiment
        self.data = data
        self.workers = workers
        self.seconds = seconds
    }

    public func measure(progress: (String) -> Void = { _ in }) -> Report {
        var alone: [Double] = []
        for run in experiment.runs {
            let (rate, _, _) = window([run], workers: 1)
            progress(String(format: "%@ alone on one worker: %.0f samples/s", run.label, rate))
            alone.append(rate)
        }
        let (together, spread, sampled) = window(experiment.runs, workers: workers)
        progress(String(format: "%d runs on %d workers: %.0f samples/s", experiment.runs.count, workers, together))
        return Report(runs: experiment.runs.map(\.label), workers: workers, aloneSamplesPerSecond: alone, togetherSamplesPerSecond: together,
                      largestSliceSpread: spread, snapshotsSampled: sampled, residentBytes: Self.residentBytes(), seconds: seconds)
    }

    /// Aggregate samples/s of `runs` over one window after every run has started training,
    /// with the largest slice spread seen in snapshots taken every 10 ms.
    func window(_ runs: [RunConfig], workers: Int) -> (rate: Double, spread: Int, sampled: Int) {
        let manager = RunManager(data: data, workers: workers)
        for run in runs { manager.add(run) }
        manager.start()
        defer { manager.shutdown() }
        while manager.snapshots().contains(where: { $0.status != .training || $0.step < 5 }) { Thread.sleep(forTimeInterval: 0.01) }
        func samples() -> Int { manager.snapshots().reduce(0) { $0 + $1.step * $1.config.settings.batchSize } }
        let start = ContinuousClock.now, first = samples()
        var spread = 0, sampled = 0
        while (ContinuousClock.now - start).seconds < seconds {
            let slices = manager.snapshots().map(\.slices)
            spread = max(spread, slices.max()! - slices.min()!)
            sampled += 1
            Thread.sleep(forTimeInterval: 0.01)
        }
        let elapsed = (ContinuousClock.now - start).seconds
        return (Double(samples() - first) / elapsed, spread, sampled)
    }

    /// VmRSS of this process, from /proc (0 where there is none).
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }
}
