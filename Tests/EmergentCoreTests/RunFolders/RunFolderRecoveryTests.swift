@testable import EmergentCore
import Foundation
import Testing

/// Resuming folders an unlucky user has: logs shorter than their checkpoints, a checkpoint of
/// another run, damaged and missing files, and a second writer. Each case is checked against
/// an uninterrupted run, record for record, read back from disk.
@Suite("Run folder recovery: history, identity, per-run repair, locks", .serialized)
struct RunFolderRecoveryTests {
    /// Three runs, three epochs of 4 steps on the embedded subset (a resume reloads it by name).
    static func experiment(root: String) throws -> ExperimentConfig {
        try EngineFixtures.experiment(
            #"{"init": "kaiming"}, {"init": "xavier"}, {"init": "orthogonal"}"#,
            extra: #""epochs": 3, "epoch_size": 64, "eval_size": 64, "runs_dir": "\#(root)""#)
    }

    /// An uninterrupted experiment, trained once: its folder and its metrics.
    static let whole: Result<(folder: String, metrics: [String: [String]]), any Error> = Result {
        let root = try TestFiles.directory("recovery-whole").path
        let config = try experiment(root: root)
        let folder: String
        do {
            let session = try ExperimentSession(config)
            session.add(config.runs)
            session.trainToEnd()
            try session.writeSummary(session.finish())
            folder = try #require(session.writer?.directory)
        }
        return (folder, try metrics(folder))
    }

    /// Each run's metrics without clock readings, by folder name.
    static func metrics(_ experiment: String) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for path in try RunFolderReader.runFolderPaths(at: experiment) {
            result[(path as NSString).lastPathComponent] = try RunFolder(path: path).metrics
                .filter { $0.key != "time/wall" }.map { "\($0.step) \($0.epoch) \($0.key) \($0.value.bitPattern)" }
        }
        return result
    }

    /// A copy of the whole experiment as a kill after the epoch-2 checkpoints leaves it (the
    /// epoch-3 checkpoints and the summary not yet written).
    /// `keepingLast` keeps the epoch-3 checkpoints (a folder whose newest checkpoint may not fit).
    static func killedAfterEpochTwo(keepingLast: Bool = false) throws -> (folder: String, runs: [String]) {
        let source = try whole.get().folder
        let folder = try TestFiles.directory("recovery").path + "/experiment"
        try FileManager.default.copyItem(atPath: source, toPath: folder)
        try FileManager.default.removeItem(atPath: folder + "/summary.json")
        let runs = try RunFolderReader.runFolderPaths(at: folder)
        for run in runs where !keepingLast {
            try FileManager.default.removeItem(atPath: run + "/checkpoints/epoch-0003.ckpt")
        }
        return (folder, runs)
    }

    /// Resumes `paths` to the end; returns what the resume said.
    @discardableResult
    static func resume(_ paths: [String]) throws -> (notes: [String], plan: String, failure: String?) {
        let resumed = try ResumedExperiment(paths: paths)
        let session = try ExperimentSession(resuming: resumed)
        session.trainToEnd()
        let summary = session.finish()
        // A failed write leaves no summary (the folders are not complete): nothing to write.
        if session.writeFailure == nil { try session.writeSummary(summary) }
        return (session.repairs, resumed.plan, session.writeFailure)
    }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    static func cut(_ path: String, to length: Int) throws {
        try Data(try bytes(path).prefix(length)).write(to: URL(fileURLWithPath: path))
    }

    static func checkpoint(_ run: String, epoch: Int) throws -> TrainerCheckpoint {
        try TrainerCheckpoint(decoding: bytes(run + "/checkpoints/" + RunFolderLayout.checkpointName(epoch: epoch)))
    }

    @Test("a finished experiment resumed stays as it ended, file for file; a run killed between its last checkpoint and its 'finished' line is recorded finished and trains nothing")
    func finishedExperimentStaysWhole() throws {
        let source = try Self.whole.get().folder
        let folder = try TestFiles.directory("recovery-finished").path + "/experiment"
        try FileManager.default.copyItem(atPath: source, toPath: folder)
        let runs = try RunFolderReader.runFolderPaths(at: folder)
        // Run 0 lost what came after its last checkpoint: its 'finished' line.
        let counted = try #require(try Self.checkpoint(runs[0], epoch: 3).header.logBytes["events.jsonl"])
        try Self.cut(runs[0] + "/events.jsonl", to: counted)
        #expect(try !RunFolder(path: runs[0]).hasEnded)
        let before = try runs.map { try Self.bytes($0 + "/events.jsonl") }
        try Self.resume([folder])
        #expect(try Self.metrics(folder) == (try Self.whole.get().metrics))
        for (index, run) in runs.enumerated() {
            let events = try RunFolder(path: run).events
            #expect(events.last?.kind == "finished", "\(run): \(events.map(\.kind))")
            #expect(events.filter { $0.kind == "finished" }.count == 1)
            if index > 0 {
                #expect(try Self.bytes(run + "/events.jsonl") == before[index], "\(run) is kept byte for byte")
            } else {
                #expect(events.suffix(2).map(\.kind) == ["resumed_from_checkpoint", "finished"])
                #expect(events.last?.step == 12)
            }
        }
    }

    @Test("a metrics.jsonl shorter than its checkpoint counts (cut between records or mid-line) restarts the run, keeps the old files, adds no byte no record wrote, and ends equal to an uninterrupted run")
    func historyShorterThanCheckpoint() throws {
        let (folder, runs) = try Self.killedAfterEpochTwo()
        var counted: [Int] = []
        for run in runs { counted.append(try #require(try Self.checkpoint(run, epoch: 2).header.logBytes["metrics.jsonl"])) }
        // Run 0 keeps 400 bytes (mid-line); run 1 keeps whole lines only, fewer than counted.
        try Self.cut(runs[0] + "/metrics.jsonl", to: 400)
        let lines = try Self.bytes(runs[1] + "/metrics.jsonl").prefix(counted[1] - 1)
        try Self.cut(runs[1] + "/metrics.jsonl", to: (lines.lastIndex(of: 10) ?? 0) + 1)
        let said = try Self.resume([folder])
        for (index, run) in runs.prefix(2).enumerated() {
            let name = (run as NSString).lastPathComponent
            #expect(
                said.notes.contains { $0.contains(name) && $0.contains("the history it continues was lost") },
                "\(said.notes)")
            #expect(said.plan.contains("\(name): again from the start"), "\(said.plan)")
            let aside = try FileManager.default.contentsOfDirectory(atPath: run).filter { $0.hasPrefix("before-restart-") }
            try #require(aside.count == 1, "the earlier files are kept")
            #expect(try Self.bytes(run + "/" + aside[0] + "/metrics.jsonl").count < counted[index])
        }
        #expect(said.plan.contains("02-orthogonal-s0: from epoch 2"))
        for run in runs {
            #expect(!(try Self.bytes(run + "/metrics.jsonl")).contains(0), "no NUL byte in \(run)")
        }
        #expect(try Self.metrics(folder) == (try Self.whole.get().metrics))
    }

    @Test("a log shorter than the newest checkpoint's count but long enough for the one before falls back to it")
    func fallsBackToTheCheckpointThatFits() throws {
        let (folder, runs) = try Self.killedAfterEpochTwo(keepingLast: true)
        let two = try #require(try Self.checkpoint(runs[0], epoch: 2).header.logBytes["metrics.jsonl"])
        let three = try #require(try Self.checkpoint(runs[0], epoch: 3).header.logBytes["metrics.jsonl"])
        // Whole records up to somewhere between the two counts.
        let kept = try Self.bytes(runs[0] + "/metrics.jsonl").prefix((two + three) / 2)
        try Self.cut(runs[0] + "/metrics.jsonl", to: (kept.lastIndex(of: 10) ?? 0) + 1)
        let said = try Self.resume([folder])
        #expect(
            said.notes.contains {
                $0.contains("epoch-0003.ckpt is refused: it follows \(three) bytes") && $0.contains("using epoch-0002.ckpt instead")
            }, "\(said.notes)")
        #expect(said.plan.contains("00-kaiming-s0: from epoch 2"))
        #expect(try Self.metrics(folder) == (try Self.whole.get().metrics))
    }

    @Test("a checkpoint copied from another run is refused naming both runs; the run starts again and ends equal")
    func foreignCheckpoint() throws {
        let (folder, runs) = try Self.killedAfterEpochTwo()
        try FileManager.default.removeItem(atPath: runs[0] + "/checkpoints/epoch-0002.ckpt")
        try FileManager.default.copyItem(
            atPath: runs[1] + "/checkpoints/epoch-0002.ckpt", toPath: runs[0] + "/checkpoints/epoch-0002.ckpt")
        let said = try Self.resume([folder])
        #expect(
            said.notes.contains { $0.contains("it is the checkpoint of run 01-xavier-s0, not of 00-kaiming-s0") },
            "\(said.notes)")
        #expect(try Self.metrics(folder) == (try Self.whole.get().metrics))
        // Every checkpoint written carries its run's identity.
        let header = try Self.checkpoint(runs[0], epoch: 3).header
        let digest = try RunFolder(path: runs[0]).identity.configDigest
        #expect(header.run == "00-kaiming-s0" && header.configDigest == digest)
    }

    @Test("one broken run never blocks the others: damaged checkpoints restart it, a missing config.json and an emptied metrics.jsonl are said")
    func perRunRecovery() throws {
        let (folder, runs) = try Self.killedAfterEpochTwo(keepingLast: true)
        // Run 0: both its checkpoints damaged. Run 1: config.json gone. Run 2: metrics.jsonl emptied.
        for epoch in [2, 3] {
            let file = runs[0] + "/checkpoints/" + RunFolderLayout.checkpointName(epoch: epoch)
            var damaged = try Self.bytes(file)
            damaged[damaged.count / 2] ^= 0x40
            try Data(damaged).write(to: URL(fileURLWithPath: file))
        }
        try FileManager.default.removeItem(atPath: runs[1] + "/config.json")
        try Data().write(to: URL(fileURLWithPath: runs[2] + "/metrics.jsonl"))
        let said = try Self.resume([folder])
        #expect(said.notes.filter { $0.contains("00-kaiming-s0") && $0.contains("its checksum fails") }.count == 2)
        #expect(said.plan.contains("00-kaiming-s0: again from the start") && said.plan.contains("02-orthogonal-s0: again from the start"))
        #expect(said.notes.contains { $0.contains("01-xavier-s0 has no config.json") && $0.contains("not resumed") })
        #expect(said.notes.contains { $0.contains("02-orthogonal-s0") && $0.contains("which holds 0") })
        let whole = try Self.whole.get().metrics
        let now = try Self.metrics(folder)
        #expect(now["00-kaiming-s0"] == whole["00-kaiming-s0"] && now["02-orthogonal-s0"] == whole["02-orthogonal-s0"])
        // The run without its config is left as it was, and the experiment is not summed up.
        #expect(FileManager.default.fileExists(atPath: runs[1] + "/metrics.jsonl"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/summary.json"))
    }

    @Test("a checkpoint that cannot be written (a folder in its place) leaves no event claiming it")
    func checkpointWriteFailureLeavesNoClaim() throws {
        let (folder, runs) = try Self.killedAfterEpochTwo()
        try FileManager.default.createDirectory(
            atPath: runs[0] + "/checkpoints/epoch-0003.ckpt", withIntermediateDirectories: false)
        let said = try Self.resume([runs[0]])
        #expect(said.failure?.contains("epoch-0003.ckpt") == true, "\(said.failure ?? "no failure")")
        let events = try RunFolder(path: runs[0]).events
        #expect(!events.contains { $0.kind == "checkpoint" && $0.text.contains("epoch-0003") })
        #expect(events.contains { $0.kind == "checkpoint" && $0.text.contains("epoch-0002") })
        _ = folder
    }

    @Test("a reader tells a stopped run from a training one: an unfinished run whose folder no process holds is stopped")
    func stoppedRuns() throws {
        let (folder, runs) = try Self.killedAfterEpochTwo()
        // The logs as the kill left them: up to the epoch-2 checkpoints.
        for run in runs {
            for (file, bytes) in try Self.checkpoint(run, epoch: 2).header.logBytes { try Self.cut(run + "/" + file, to: bytes) }
        }
        let follower = try RunFolderFollower(paths: [folder])
        #expect(follower.poll().map(\.status) == [.stopped, .stopped, .stopped])
        do {
            // A resume holds the folder (its runs not yet trained on): they are not stopped.
            let session = try ExperimentSession(resuming: ResumedExperiment(path: folder))
            #expect(!follower.poll().contains { $0.status == .stopped })
            session.finish()
        }
        #expect(try Self.metrics(folder).count == 3)
    }

    @Test("a folder is written by one process at a time: a second writer is refused naming the holder; tasks of disjoint runs share the experiment")
    func locks() throws {
        let (folder, runs) = try Self.killedAfterEpochTwo()
        let holder = "emergent resume on \(HostName.current), PID \(getpid())"
        do {
            let first = try ExperimentSession(resuming: ResumedExperiment(path: folder))
            #expect(first.summarizesExperiment)
            do {
                _ = try ExperimentSession(resuming: ResumedExperiment(path: folder))
                Issue.record("a second resume of the whole folder was let in")
            } catch { #expect("\(error)".contains("is being written by \(holder)"), "\(error)") }
            do {
                _ = try ExperimentSession(resuming: ResumedExperiment(paths: [runs[1]]))
                Issue.record("a resume of one run was let in beside a resume of all")
            } catch { #expect("\(error)".contains(holder), "\(error)") }
            first.finish()
        }
        do {
            // Two Slurm tasks: disjoint runs train side by side; a third on a taken run is refused.
            let task0 = try ExperimentSession(resuming: ResumedExperiment(paths: [runs[0]]))
            let task1 = try ExperimentSession(resuming: ResumedExperiment(paths: [runs[1], runs[2]]))
            #expect(!task0.summarizesExperiment && !task1.summarizesExperiment)
            do {
                _ = try ExperimentSession(resuming: ResumedExperiment(paths: [runs[0]]))
                Issue.record("two resumes of one run were let in")
            } catch { #expect("\(error)".contains("00-kaiming-s0 is being written by \(holder)"), "\(error)") }
            do {
                _ = try ExperimentSession(resuming: ResumedExperiment(path: folder))
                Issue.record("a resume of all was let in beside the tasks")
            } catch { #expect("\(error)".contains("its runs are being written"), "\(error)") }
            task0.trainToEnd()
            task1.trainToEnd()
            task0.finish()
            task1.finish()
        }
        #expect(try Self.metrics(folder) == (try Self.whole.get().metrics))
        // Readers never take the lock: the folder reads while nobody holds it, and while someone does.
        let live = try ExperimentSession(resuming: ResumedExperiment(path: folder))
        #expect(FolderLock.isHeld(folder))
        #expect(try Self.metrics(folder) == (try Self.whole.get().metrics))
        live.finish()
    }
}
