import EmergentCore
import Foundation

/// Runs side by side against runs alone: the samples/s of an experiment's runs sharing the
/// workers, against what the same runs reach each alone on one core, scaled to the worker
/// count (ideal sharing: `workers / runs` of each lone rate). Lone and shared windows
/// alternate in rounds, and the median round's ratio is reported, so that a machine whose
/// speed drifts (a shared VM) moves both sides of a ratio alike. Also the fairness spread, the
/// largest difference in slices between runs at any snapshot, and the resident memory.
public struct RunsBenchmark {
    public struct Round: Sendable {
        public let aloneSamplesPerSecond: [Double]
        public let togetherSamplesPerSecond: Double
        /// Share of the workers' time in the shared window spent held back by the one-slice rule.
        public let fairnessWaitShare: Double
        /// The shared window again with every run writing its folder (metrics, events, checkpoints).
        public let togetherWithFoldersSamplesPerSecond: Double?
        /// with folders / without: what writing run folders costs the training.
        public var foldersRatio: Double? { togetherWithFoldersSamplesPerSecond.map { $0 / togetherSamplesPerSecond } }
        /// together / (workers / runs · Σ alone).
        public func ratio(workers: Int) -> Double {
            togetherSamplesPerSecond
                / (Double(workers) / Double(aloneSamplesPerSecond.count) * aloneSamplesPerSecond.reduce(0, +))
        }
    }

    public struct Report: Sendable {
        public let runs: [String]
        public let workers: Int
        public let rounds: [Round]
        /// The round with the median ratio.
        public var median: Round {
            rounds.sorted { $0.ratio(workers: workers) < $1.ratio(workers: workers) }[rounds.count / 2]
        }
        public var ratio: Double { median.ratio(workers: workers) }
        public let largestSliceSpread: Int
        public let snapshotsSampled: Int
        public let residentBytes: Int
        public let seconds: Double
    }

    public let experiment: ExperimentConfig
    public let data: ExperimentData
    public let workers: Int
    public let seconds: Double
    public let rounds: Int
    /// Whether each round also measures the shared window with run folders written.
    public var measuresRunFolders = false

    public init(experiment: ExperimentConfig, data: ExperimentData, workers: Int, seconds: Double, rounds: Int = 3) {
        var experiment = experiment
        // Long enough never to finish inside a measurement window.
        for index in experiment.runs.indices { experiment.runs[index].settings.epochs = 1000 }
        self.experiment = experiment
        self.data = data
        self.workers = workers
        self.seconds = seconds
        self.rounds = max(rounds, 1)
    }

    public func measure(progress: (String) -> Void = { _ in }) -> Report {
        var measured: [Round] = []
        var spread = 0, sampled = 0, resident = 0
        for round in 1...rounds {
            var alone: [Double] = []
            for run in experiment.runs {
                alone.append(window([run], workers: 1).rate)
            }
            let together = window(experiment.runs, workers: workers)
            spread = max(spread, together.spread)
            sampled += together.sampled
            resident = max(resident, together.resident)
            let withFolders =
                measuresRunFolders ? window(experiment.runs, workers: workers, writingFolders: true).rate : nil
            let result = Round(
                aloneSamplesPerSecond: alone, togetherSamplesPerSecond: together.rate,
                fairnessWaitShare: together.waited / (seconds * Double(workers)),
                togetherWithFoldersSamplesPerSecond: withFolders)
            measured.append(result)
            progress(
                String(
                    format: "round %d: alone %@ samples/s; together %.0f samples/s; ratio %.3f; fairness waits %.1f %%",
                    round,
                    alone.map { String(format: "%.0f", $0) }.joined(separator: ", "), together.rate,
                    result.ratio(workers: workers),
                    100 * result.fairnessWaitShare)
                    + (result.foldersRatio.map {
                        String(format: "; with run folders %.0f samples/s (%.3f×)", withFolders!, $0)
                    } ?? ""))
        }
        return Report(
            runs: experiment.runs.map(\.label), workers: workers, rounds: measured, largestSliceSpread: spread,
            snapshotsSampled: sampled, residentBytes: resident, seconds: seconds)
    }

    /// Aggregate samples/s of `runs` over one window after every run has started training,
    /// with the largest slice spread seen in snapshots taken every 10 ms.
    func window(
        _ runs: [RunConfig], workers: Int, writingFolders: Bool = false
    ) -> (rate: Double, spread: Int, sampled: Int, resident: Int, waited: Double) {
        let root = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-bench-\(UUID().uuidString)")
        // With folders, the session a user's `run` has: the folder locked, every run's folder
        // made as it is added, the logs synced before each checkpoint.
        var folders = experiment
        folders.runsDirectory = root
        folders.writesRunFolders = true
        let session = writingFolders ? try? ExperimentSession(folders, data: data, workers: workers, purpose: "bench") : nil
        let manager = session?.manager ?? RunManager(data: data, workers: workers)
        if let session { session.add(runs) } else { for run in runs { manager.add(run) } }
        manager.start()
        defer {
            manager.shutdown()
            session?.finish()
            try? FileManager.default.removeItem(atPath: root)
        }
        while manager.snapshots().contains(where: { $0.status != .training || $0.step < 5 }) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        func samples() -> Int { manager.snapshots().reduce(0) { $0 + $1.step * $1.config.settings.batchSize } }
        let start = ContinuousClock.now, first = samples(), waitedBefore = manager.secondsWaitedForFairness
        var spread = 0, sampled = 0
        while (ContinuousClock.now - start).seconds < seconds {
            let slices = manager.snapshots().map(\.slices)
            spread = max(spread, slices.max()! - slices.min()!)
            sampled += 1
            Thread.sleep(forTimeInterval: 0.01)
        }
        let elapsed = (ContinuousClock.now - start).seconds
        return (
            Double(samples() - first) / elapsed, spread, sampled, Self.residentBytes(),
            manager.secondsWaitedForFairness - waitedBefore
        )
    }

    /// VmRSS of this process (0 where there is none).
    static func residentBytes() -> Int { ResidentMemory.bytes() ?? 0 }
}
