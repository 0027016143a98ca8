@testable import EmergentCore
import Foundation
import Synchronization
import Testing

@Suite("Run folders")
struct RunFolderTests {
    static func temporaryDirectory() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-folders-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Trains `experiment` with a writer into a fresh root; returns the writer, the manager's snapshots and any errors.
    static func trainWritten(
        _ experiment: ExperimentConfig, data: ExperimentData, root: String
    ) throws -> (writer: RunFolderWriter, snapshots: [RunSnapshot], errors: [String]) {
        let errors = Mutex<[String]>([])
        let manager = RunManager(data: data, workers: 2, budget: .steps(3))
        let writer = try RunFolderWriter(root: root, experiment: experiment, data: data) { _, message in
            errors.withLock { $0.append(message) }
        }
        writer.attach(to: manager)
        for run in experiment.runs { manager.add(run) }
        manager.start()
        manager.waitUntilSettled()
        manager.shutdown()
        writer.flush()
        return (writer, manager.snapshots(), errors.withLock { $0 })
    }

    @Test(
        "a written folder reads back: config, every step's metrics, events, checkpoints; the replay matches the live picture"
    )
    func writeAndRead() throws {
        let root = try Self.temporaryDirectory()
        let data = try EngineFixtures.imageData()
        let experiment = try EngineFixtures.experiment(
            #"{"init": "kaiming"}, {"init": "emergence:alpha=1.5"}"#, extra: #""epochs": 3"#)
        let (writer, snapshots, errors) = try Self.trainWritten(experiment, data: data, root: root)
        #expect(errors.isEmpty)
        let paths = try RunFolderReader.runFolderPaths(at: writer.directory)
        #expect(paths.map { ($0 as NSString).lastPathComponent } == ["00-kaiming-s0", "01-emergence-alpha=1.5-s0"])
        #expect(FileManager.default.fileExists(atPath: writer.directory + "/experiment.json"))
        for (path, live) in zip(paths, snapshots) {
            let folder = try RunFolder(path: path)
            #expect(try folder.runConfig() == live.config)
            #expect(folder.stepsPerEpoch == 12 && folder.label == live.config.label)
            let losses = folder.metrics.filter { $0.key == "train/loss" }
            #expect(losses.map(\.step) == Array(1...36))
            #expect(losses.last?.value == live.latest["train/loss"])
            #expect(folder.metrics.contains { $0.key == "layers/dense1/grad_norm" && $0.step == 0 })
            #expect(folder.metrics.filter { $0.key == "test/acc" }.map(\.epoch) == [0, 1, 2])
            #expect(
                folder.events.map(\.kind).filter { $0 != "checkpoint" } == [
                    "started", "initialized", "epoch_ended", "epoch_ended", "epoch_ended", "finished",
                ])
            #expect(
                RunFolderReader.checkpointFiles(in: path).map { ($0 as NSString).lastPathComponent } == [
                    "epoch-0002.ckpt", "epoch-0003.ckpt",
                ])
            let replay = RunReplay(folder: folder, id: live.id, config: live.config).snapshot
            #expect(replay.status == .done && replay.epoch == 3 && replay.step == 36)
            #expect(replay.bestTest == live.bestTest && replay.firstEpochTest == live.firstEpochTest)
            for key in ["train/loss", "opt/lr", "emergence/log10E", "test/acc", "layers/dense2/act_std"] {
                #expect(replay.series[key]?.recent == live.series[key]?.recent, "\(key)")
            }
            #expect(replay.lastMeasurement?.layers.map(\.name) == live.lastMeasurement?.layers.map(\.name))
            #expect(
                replay.lastMeasurement?.layers.map(\.gradientNorm) == live.lastMeasurement?.layers.map(\.gradientNorm))
            #expect(replay.lastMeasurement?.log10E == live.lastMeasurement?.log10E)
            // Record by record, as a follower of a growing folder reads it: the same picture.
            var followed = RunReplay(id: live.id, config: live.config, stepsPerEpoch: folder.stepsPerEpoch)
            followed.apply(metrics: [], events: folder.events)
            for record in folder.metrics { followed.apply(metrics: [record], events: []) }
            let measured = followed.snapshot.lastMeasurement
            #expect(measured?.step == replay.lastMeasurement?.step && measured?.step == live.lastMeasurement?.step)
            #expect(measured?.layers.map(\.name) == replay.lastMeasurement?.layers.map(\.name))
            #expect(measured?.layers.map(\.gradientNorm) == replay.lastMeasurement?.layers.map(\.gradientNorm))
            #expect(followed.snapshot.series == replay.series && followed.snapshot.latest == replay.latest)
            // Keeping one series: the run's state is whole, the other metric series are not built.
            let lean = RunReplay(folder: folder, id: live.id, config: live.config, seriesKeys: ["train/loss"]).snapshot
            #expect(lean.status == .done && lean.epoch == 3 && lean.step == 36 && lean.bestTest == live.bestTest)
            #expect(lean.series["train/loss"]?.recent == live.series["train/loss"]?.recent)
            #expect(lean.series["opt/lr"] == nil && lean.series["layers/dense2/act_std"] == nil)
            #expect(
                lean.series["test/acc"]?.recent == live.series["test/acc"]?.recent, "test metrics come from the events")
        }
    }

    /// One short kaiming run written to a new folder; its run folder's path.
    static func oneKaimingRun() throws -> String {
        let experiment = try EngineFixtures.experiment(#"{"init": "kaiming"}"#)
        let (writer, _, _) = try trainWritten(experiment, data: try EngineFixtures.imageData(), root: try temporaryDirectory())
        return try RunFolderReader.runFolderPaths(at: writer.directory)[0]
    }

    @Test("a half-written last line is left for later; a corrupt line in the middle names the file and the line")
    func tolerantReader() throws {
        let path = try Self.oneKaimingRun()
        let metrics = path + "/metrics.jsonl"
        let whole = try RunFolder(path: path)
        let original = try String(contentsOfFile: metrics, encoding: .utf8)
        try (original + #"{"step":25,"epoch":2,"wall_ti"#).write(toFile: metrics, atomically: false, encoding: .utf8)
        var cut = try RunFolder(path: path)
        #expect(cut.metrics == whole.metrics && cut.hasPartialTail)
        // The writer finishes the line: the follower picks it up.
        try (original + #"{"step":25,"epoch":2,"wall_time":1,"key":"train/loss","value":0.5}"# + "\n").write(
            toFile: metrics, atomically: false, encoding: .utf8)
        let grown = try cut.follow()
        #expect(grown.metrics.map(\.step) == [25], "a line seen half-written is re-read from its start")
        #expect(!cut.hasPartialTail)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[6] = #"{"step": 1, "epoch": 0, "wall_time": 1, "key": "train/loss", "value": }"#
        try lines.joined(separator: "\n").write(toFile: metrics, atomically: false, encoding: .utf8)
        let corrupt = #expect(throws: RunFolderError.self) { try RunFolder(path: path) }
        #expect(corrupt?.description.hasPrefix(metrics + ":7: corrupt record") == true, "\(String(describing: corrupt))")
        lines[6] = #"{"step": 1, "epoch": 0, "wall_time": 1, "key": "train/loss"}"#
        try lines.joined(separator: "\n").write(toFile: metrics, atomically: false, encoding: .utf8)
        let missing = #expect(throws: RunFolderError.self) { try RunFolder(path: path) }
        #expect(missing?.description.contains(":7: corrupt record: \"value\" must be a number") == true)
    }

    @Test(
        "a damaged newest checkpoint is refused by name and the one before is used; stray temporary files are ignored")
    func checkpointFallback() throws {
        let root = try Self.temporaryDirectory()
        let experiment = try EngineFixtures.experiment(#"{"init": "kaiming"}"#, extra: #""epochs": 3"#)
        let (writer, _, _) = try Self.trainWritten(experiment, data: try EngineFixtures.imageData(), root: root)
        let path = try RunFolderReader.runFolderPaths(at: writer.directory)[0]
        let newest = path + "/checkpoints/epoch-0003.ckpt"
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: newest)))
        bytes[bytes.count / 3] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: newest))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path + "/checkpoints/.epoch-0004.ckpt.tmp"))
        let choice = try RunFolder(path: path).chooseCheckpoint()
        #expect(choice.checkpoint?.epoch == 2 && choice.path?.hasSuffix("epoch-0002.ckpt") == true)
        #expect(
            choice.refused.count == 1 && choice.refused[0].contains("epoch-0003.ckpt is refused: its checksum fails"))
    }

    @Test(
        "metric lines: the fast reader gives the JSON parser's record for every line the writer writes, and declines any other shape"
    )
    func fastMetricLines() throws {
        let records = [
            MetricRecord(step: 1, epoch: 0, wallTime: 1_764_720_000.123456, key: "train/loss", value: 2.302585),
            MetricRecord(step: 123_456_789, epoch: 999, wallTime: 0, key: "layers/enc1.attn/log10E", value: -3.5e-12),
            MetricRecord(step: 7, epoch: 1, wallTime: 1e-7, key: "test/acc", value: 1e300),
            MetricRecord(step: 0, epoch: 0, wallTime: -1, key: "init/cosine", value: -0.0),
        ]
        for record in records {
            let line = Data(record.line.dropLast().utf8)
            let general = try MetricRecord(try JSONParser.parse(record.line))
            #expect(line.withUnsafeBytes { MetricRecord(fastLine: $0) } == general, "\(record.line)")
            #expect(general == record)
        }
        let others = [
            #"{"step": 1,"epoch":0,"wall_time":1,"key":"a/b","value":1}"#,
            #"{"epoch":0,"step":1,"wall_time":1,"key":"a/b","value":1}"#,
            #"{"step":1,"epoch":0,"wall_time":1,"key":"a\/b","value":1}"#,
            #"{"step":1,"epoch":0,"wall_time":1,"key":"a/b","value":"nan"}"#,
            #"{"step":1.5,"epoch":0,"wall_time":1,"key":"a/b","value":1}"#,
            #"{"step":1,"epoch":0,"wall_time":1,"key":"","value":1}"#,
            #"{"step":1,"epoch":0,"wall_time":1,"key":"a/b","value":1} "#,
            #"{"step":1,"epoch":0,"wall_time":1,"key":"a/b","value":1,"extra":2}"#,
            #"{"step":1,"epoch":0,"wall_time":1,"key":"a/b","value":}"#,
        ]
        for text in others { #expect(Data(text.utf8).withUnsafeBytes { MetricRecord(fastLine: $0) } == nil, "\(text)") }
        // Through a log: the general path still reads what the fast one declines.
        let path = try Self.temporaryDirectory() + "/metrics.jsonl"
        try (records.map(\.line).joined() + others[3] + "\n" + others[1] + "\n").write(
            toFile: path, atomically: false, encoding: .utf8)
        var log = JSONLines(path: path)
        let read = try log.readNew(fast: MetricRecord.init(fastLine:), general: MetricRecord.init)
        #expect(Array(read.prefix(4)) == records && read.count == 6 && read[4].value.isNaN && read[5].step == 1)
    }

    @Test("reads are bounded: a line past 1 MiB, ended or not, is refused naming it; a log is never extended to a count it does not hold")
    func boundedLogs() throws {
        let path = try Self.oneKaimingRun()
        let metrics = path + "/metrics.jsonl"
        let original = try String(contentsOfFile: metrics, encoding: .utf8)
        let lines = original.split(separator: "\n").count
        let long = String(repeating: "x", count: JSONLines.recordLimit + 10)
        for tail in [long + "\n", long] {
            try (original + tail).write(toFile: metrics, atomically: false, encoding: .utf8)
            let refusal = #expect(throws: RunFolderError.self, "a \(tail.count)-byte line") { try RunFolder(path: path) }
            #expect(
                refusal == .corruptLine(path: metrics, line: lines + 1, reason: "it runs past 1048576 bytes without ending"))
        }
        try original.write(toFile: metrics, atomically: false, encoding: .utf8)
        let size = original.utf8.count
        #expect(throws: RunFolderError.writeFailed(path: metrics, reason: "it holds \(size) bytes, fewer than the \(size + 100) its checkpoint counts")) {
            _ = try AppendLog(path: metrics, truncatingTo: size + 100)
        }
        #expect(try String(contentsOfFile: metrics, encoding: .utf8) == original, "nothing was added")
    }

    @Test("not a run folder: a missing config.json, an empty folder, a file, another tool's JSON")
    func notARunFolder() throws {
        let root = try Self.temporaryDirectory()
        #expect(throws: RunFolderError.self) { try RunFolder(path: root) }
        let empty = #expect(throws: RunFolderError.self) { try RunFolderReader.runFolderPaths(at: root) }
        #expect(empty?.description.contains("no config.json") == true, "\(String(describing: empty))")
        let absent = #expect(throws: RunFolderError.self) { try RunFolderReader.runFolderPaths(at: root + "/nothing") }
        #expect(absent?.description.contains("does not exist") == true)
        try "{\"name\": 3}".write(toFile: root + "/config.json", atomically: true, encoding: .utf8)
        let foreign = #expect(throws: RunFolderError.self) { try RunFolder(path: root) }
        #expect(
            foreign?.description.contains("config.json: it is not a run configuration") == true,
            "\(String(describing: foreign))")
        try "{\"name\": ".write(toFile: root + "/config.json", atomically: true, encoding: .utf8)
        do {
            _ = try RunFolder(path: root)
            Issue.record("expected a refusal, but nothing was thrown")
        } catch { #expect(error.description.contains("config.json: line 1")) }
    }

    @Test("a run whose folder cannot be written pauses with the path in the error; the other run finishes")
    func writeFailurePauses() throws {
        let root = try Self.temporaryDirectory()
        let data = try EngineFixtures.imageData()
        let experiment = try EngineFixtures.experiment(
            #"{"init": "kaiming"}, {"init": "xavier"}"#, extra: #""epochs": 3"#)
        let errors = Mutex<[String]>([])
        let manager = RunManager(data: data, workers: 1, budget: .steps(3))
        let writer = try RunFolderWriter(root: root, experiment: experiment, data: data) { _, message in
            errors.withLock { $0.append(message) }
        }
        writer.attach(to: manager)
        // The first run's folder vanishes after its first checkpoint.
        manager.subscribe { id, event in
            if id == 0, case let .checkpointed(checkpoint) = event, checkpoint.epoch == 1 {
                writer.flush()
                try? FileManager.default.removeItem(atPath: writer.runFolders[0]!)
            }
        }
        for run in experiment.runs { manager.add(run) }
        manager.start()
        manager.waitUntilSettled()
        manager.shutdown()
        writer.flush()
        let snapshots = manager.snapshots()
        #expect(snapshots[0].status == .paused && snapshots[1].status == .done)
        let messages = errors.withLock { $0 }
        #expect(messages.count == 1 && messages[0].contains("00-kaiming-s0") && messages[0].contains("removed"))
        #expect(try RunFolder(path: writer.runFolders[1]!).metrics.filter { $0.key == "test/acc" }.count == 3)
    }
}

@Suite("Following run folders")
struct RunFolderFollowerTests {
    @Test("a follower opens finished and diverged runs alike, and picks up runs and records added later")
    func followsFinishedAndDiverged() throws {
        let root = try RunFolderTests.temporaryDirectory()
        let data = try EngineFixtures.imageData()
        let experiment = try EngineFixtures.experiment(
            #"{"init": "kaiming"}, {"init": "kaiming", "label": "too fast", "optimizer": {"lr": 100}, "model": {"activation": "linear"}}"#
        )
        let (writer, live, _) = try RunFolderTests.trainWritten(experiment, data: data, root: root)
        let follower = try RunFolderFollower(paths: [writer.directory])
        let snapshots = follower.poll()
        #expect(snapshots.map(\.status) == [.done, .diverged], "\(snapshots.map(\.status))")
        #expect(snapshots[1].divergedAt == live[1].divergedAt && snapshots[1].divergedAt != nil)
        #expect(snapshots[1].series["train/loss"]?.last?.y.isNaN == true, "the NaN loss reads back as NaN")
        #expect(follower.experimentName == "test" && follower.datasetName == "synthetic")
        // Another run folder appears, and a record is appended to the first.
        let copy = writer.directory + "/02-copy-s0"
        try FileManager.default.copyItem(atPath: follower.runFolderPaths[0], toPath: copy)
        let handle = try #require(FileHandle(forWritingAtPath: follower.runFolderPaths[0] + "/metrics.jsonl"))
        try handle.seekToEnd()
        try handle.write(
            contentsOf: Data((MetricRecord(step: 99, epoch: 8, wallTime: 1, key: "train/loss", value: 0.25).line).utf8))
        try handle.close()
        let later = follower.poll()
        #expect(later.count == 3 && later[0].step == 99 && later[0].latest["train/loss"] == 0.25)
        #expect(follower.problems.isEmpty, "\(follower.problems)")
    }
}
