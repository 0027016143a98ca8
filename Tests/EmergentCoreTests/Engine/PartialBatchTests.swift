@testable import EmergentCore
import Foundation
import Testing

/// An epoch's last batch is smaller when the batch size does not divide the epoch: its loss
/// stands for fewer samples and must weigh that much, live and read back from disk.
@Suite("Partial batches weigh their share of samples", .serialized)
struct PartialBatchTests {
    @Test("weighted smoothing follows its formula (decay β^w); weight 1 everywhere is TensorBoard's EMA")
    func weightedSmoothing() {
        let values = [2.0, 1.0, 5.0, 1.0], weights = [1.0, 1.0, 0.25, 1.0], beta = 0.9
        var last = 0.0, kept = 1.0
        var expected: [Double] = []
        for (value, weight) in zip(values, weights) {
            let decay = pow(beta, weight)
            last = last * decay + (1 - decay) * value
            kept *= decay
            expected.append(last / (1 - kept))
        }
        let smoothed = Smoothing.debiasedEMA(values, weights: weights, weight: beta)
        for (a, b) in zip(smoothed, expected) { #expect(abs(a - b) < 1e-12) }
        let unweighted = Smoothing.debiasedEMA(values, weight: beta)
        #expect(Smoothing.debiasedEMA(values, weights: [1, 1, 1, 1], weight: beta) == unweighted)
        // The partial point moves the curve less than a full one would.
        #expect(smoothed[2] - smoothed[1] < unweighted[2] - unweighted[1])
    }

    @Test("the raw curve reads a partial point as the mean over the last full batch of samples")
    func fullBatchValues() {
        let values = [1.0, 1.2, 5.0, 1.1, .nan, 3.0]
        let shown = Smoothing.fullBatchValues(values, weights: [1, 1, 0.25, 1, 1, 0.5])
        #expect(shown[0] == 1 && shown[1] == 1.2 && shown[3] == 1.1)
        #expect(abs(shown[2] - (0.25 * 5 + 0.75 * 1.2)) < 1e-12)
        #expect(shown[4].isNaN)
        #expect(abs(shown[5] - (0.5 * 3 + 0.5 * 1.1)) < 1e-12, "a NaN is skipped as the point before")
        #expect(Smoothing.fullBatchValues([4.0], weights: [0.1]) == [4], "nothing before: the point as it is")
    }

    @Test("a bucket's mean weighs each point by its samples")
    func weightedBuckets() {
        var history = SeriesHistory(recentCapacity: 8, bucketCapacity: 4, bucketWidth: 4)
        let points: [(Double, Double)] = [(1, 1), (1, 1), (1, 1), (9, 0.5)]
        for (index, point) in points.enumerated() { history.append(x: Double(index), y: point.0, weight: point.1) }
        for index in 4..<9 { history.append(x: Double(index), y: 0) }
        guard let bucket = history.buckets.first else {
            Issue.record("nothing was folded: \(history.recent.count) recent points")
            return
        }
        #expect(abs(bucket.mean - (3 + 4.5) / 3.5) < 1e-12, "\(bucket)")
        #expect(bucket.weight == 3.5 && bucket.count == 4)
    }

    @Test("70 samples in batches of 16: the fifth step weighs 6/16, live, in metrics.jsonl and read back")
    func liveAndOnDisk() throws {
        let root = try TestFiles.directory("partial-batch").path
        let config = try EngineFixtures.experiment(
            #"{"init": "kaiming"}"#,
            extra: #""epochs": 2, "epoch_size": 70, "eval_size": 32, "runs_dir": "\#(root)""#)
        let session = try ExperimentSession(config)
        session.add(config.runs)
        session.trainToEnd()
        try session.writeSummary(session.finish())
        let live = try #require(session.manager.snapshot(0))
        #expect(live.stepsPerEpoch == 5)
        let weights = try #require(live.series["train/loss"]).points.map(\.weight)
        #expect(weights == [1, 1, 1, 1, 0.375, 1, 1, 1, 1, 0.375], "\(weights)")
        #expect(try #require(live.series["train/acc"]).points.map(\.weight) == weights)

        let directory = try #require(session.writer?.directory)
        let folderPath = try #require(try RunFolderReader.runFolderPaths(at: directory).first)
        let folder = try RunFolder(path: folderPath)
        let logged = folder.metrics.filter { $0.key == RunSnapshot.batchSamplesKey }
        #expect(logged.map(\.step) == [5, 10] && logged.allSatisfy { $0.value == 6 }, "only partial steps log a count")
        let replayed = RunReplay(folder: folder, id: 0, config: config.runs[0])
        #expect(replayed.snapshot.series["train/loss"]?.points == live.series["train/loss"]?.points)
        #expect(replayed.snapshot.series[RunSnapshot.batchSamplesKey] == nil, "the count is a weight, not a curve")
    }
}
