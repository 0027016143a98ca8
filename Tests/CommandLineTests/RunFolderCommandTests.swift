import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@testable import EmergentCore

/// Run folders end to end: a real process killed with SIGKILL and resumed, damaged
/// checkpoints, write failures on real file systems, exports read by real readers.
@Suite("Run folders on disk", .serialized)
struct RunFolderCommandTests {
    static let arguments = ["default", "--epochs", "3", "--epoch-size", "1280", "--set", "eval_size=200"]
    static let stepsPerEpoch = 10

    static func temporary() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-cli-runs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The one experiment folder under `root`, nil while there is none (no issue is recorded: polls call it).
    static func findExperimentFolder(in root: String) -> String? {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter {
            $0.hasPrefix("default-")
        }
        return names.count == 1 ? (root as NSString).appendingPathComponent(names[0]) : nil
    }

    static func experimentFolder(in root: String) throws -> String {
        try #require(findExperimentFolder(in: root), "one experiment folder in \(root)")
    }

    /// Each run's metrics without the clock readings (`wall_time` and the `time/wall` key), by folder name.
    static func metrics(_ experiment: String) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for path in try RunFolderReader.runFolderPaths(at: experiment) {
            let folder = try RunFolder(path: path)
            result[folder.name] = folder.metrics.filter { $0.key != "time/wall" }.map {
                "\($0.step) \($0.epoch) \($0.key) \($0.value.bitPattern)"
            }
        }
        return result
    }

    /// One uninterrupted run of `arguments`, shared by the tests: its experiment folder and metrics.
    static let reference: Result<(folder: String, metrics: [String: [String]]), any Error> = Result {
        let root = try temporary()
        let result = try EmergentProcess.run(["run"] + arguments + ["--runs-dir", root + "/whole"])
        guard result.status == 0 else { throw RunFolderError.notARunFolder(path: root, reason: result.standardError) }
        let folder = try experimentFolder(in: root + "/whole")
        return (folder, try metrics(folder))
    }

    static func uninterrupted() throws -> (folder: String, metrics: [String: [String]]) { try reference.get() }

    @Test("export --weights writes a run's newest checkpoint as safetensors: its parameters bit for bit, the step it holds, a file measure reads; an experiment folder or a run without a checkpoint is refused")
    func exportWeights() throws {
        let root = try Self.temporary()
        let experiment = try Self.uninterrupted().folder
        let run = try RunFolderReader.runFolderPaths(at: experiment)[0]
        let made = try EmergentProcess.run(["export", run, "--weights", "--out", root + "/w"])
        #expect(made.status == 0, "\(made.standardError)")
        let name = (run as NSString).lastPathComponent
        let file = try SafetensorsFile.read(path: root + "/w/\(name).safetensors")
        let chosen = try RunFolder(path: run).chooseCheckpoint()
        let checkpoint = try #require(chosen.checkpoint)
        #expect(file.tensors.flatMap(\.values).map(\.bitPattern) == checkpoint.parameters.map(\.bitPattern))
        #expect(file.metadata["step"] == String(checkpoint.step) && file.metadata["run"] == name)
        #expect(made.standardOutput == "wrote \(root)/w/\(name).safetensors: step \(checkpoint.step), epoch \(checkpoint.epoch), \(file.tensors.count) tensors\n")
        let measured = try EmergentProcess.run(["measure", "--weights", root + "/w/\(name).safetensors"])
        #expect(measured.status == 0 && measured.standardOutput.hasPrefix("weights \(name).safetensors: step-0 loss"), "\(measured.standardError)")
        try EmergentProcess.expectOneLineError(
            ["export", experiment, "--weights", "--out", root + "/x"], "--weights exports one run folder at a time")
        let bare = root + "/bare/" + name
        try FileManager.default.createDirectory(atPath: bare, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: run + "/config.json", toPath: bare + "/config.json")
        try EmergentProcess.expectOneLineError(["export", bare, "--weights", "--out", root + "/x"], "has no usable checkpoint yet")
        #expect(!FileManager.default.fileExists(atPath: root + "/x"))
    }

    @Test(
        "SIGUSR1 (a time limit's warning) to resume: every run checkpoints where it stands, inside its epoch, and it exits 99; resumed again, the metrics equal an uninterrupted run's"
    )
    func timeLimitWarning() throws {
        let root = try Self.temporary()
        let whole = try Self.uninterrupted().metrics
        /// Starts `arguments` and waits (polling the files, SIGSTOP as soon as it is seen) until
        /// run 0 has logged step `step`; returns the stopped process.
        let errors = root + "/stderr.txt"
        func start(_ arguments: [String], stoppingAt step: Int) throws -> Process {
            let process = Process()
            process.executableURL = EmergentProcess.executable
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            _ = FileManager.default.createFile(atPath: errors, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: errors)
            try process.run()
            for _ in 0..<12000 {
                if let folder = Self.findExperimentFolder(in: root),
                    let paths = try? RunFolderReader.runFolderPaths(at: folder), paths.count == 4,
                    let text = try? String(contentsOfFile: paths[0] + "/metrics.jsonl", encoding: .utf8),
                    text.contains("{\"step\":\(step),")
                {
                    kill(process.processIdentifier, SIGSTOP)
                    return process
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
            Issue.record("step \(step) never came")
            return process
        }
        let first = try start(["run"] + Self.arguments + ["--runs-dir", root], stoppingAt: 4)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let experiment = try Self.experimentFolder(in: root)
        // Stopped at step 12 or a little after (inside epoch 2 of 3), warned, then let go: it
        // checkpoints at its next step boundary and ends, asking to be requeued.
        let warned = try start(["resume", experiment], stoppingAt: 12)
        kill(warned.processIdentifier, SIGUSR1)
        kill(warned.processIdentifier, SIGCONT)
        warned.waitUntilExit()
        #expect(warned.terminationStatus == SlurmScript.requeueExitCode)
        let said = try String(contentsOfFile: errors, encoding: .utf8)
        #expect(
            said.hasSuffix("emergent: every run checkpointed at the time limit's warning; requeue the task to carry on\n"),
            "said once, as the last line: \(said)")
        for path in try RunFolderReader.runFolderPaths(at: experiment) {
            let folder = try RunFolder(path: path)
            let chosen = try #require(folder.chooseCheckpoint().path, "\(folder.name) has a checkpoint")
            let last = folder.metrics.map(\.step).max() ?? 0
            #expect(folder.chooseCheckpoint().checkpoint?.step == last, "\(folder.name): checkpointed where it stood")
            #expect(last < 3 * Self.stepsPerEpoch, "\(folder.name) stopped before its end")
            if last % Self.stepsPerEpoch != 0 {
                #expect(chosen.hasSuffix(String(format: ".step-%08d.ckpt", last)), "\(chosen)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: experiment + "/summary.json"), "not finished: no summary")
        let resumed = try EmergentProcess.run(["resume", experiment])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(try Self.metrics(experiment) == whole, "the resumed metrics equal the uninterrupted run's")
        #expect(FileManager.default.fileExists(atPath: experiment + "/summary.json"))
        // Resumed once more, finished runs stay as they are: nothing cut, nothing added.
        let before = try RunFolderReader.runFolderPaths(at: experiment).map { try String(contentsOfFile: $0 + "/events.jsonl", encoding: .utf8) }
        let again = try EmergentProcess.run(["resume", experiment])
        #expect(again.status == 0, "\(again.standardError)")
        let after = try RunFolderReader.runFolderPaths(at: experiment).map { try String(contentsOfFile: $0 + "/events.jsonl", encoding: .utf8) }
        #expect(after == before && after.allSatisfy { $0.contains("\"event\":\"finished\"") })
    }

    @Test(
        "SIGKILL in the middle of epoch 2, then resume: at most the epoch is lost, no file is corrupt, the metrics equal an uninterrupted run's bit for bit; a damaged newest checkpoint falls back"
    )
    func killAndResume() throws {
        let root = try Self.temporary()
        let whole = try Self.uninterrupted().metrics
        #expect(whole.count == 4 && whole.values.allSatisfy { $0.count > 3 * Self.stepsPerEpoch })

        let process = Process()
        process.executableURL = EmergentProcess.executable
        process.arguments = ["run"] + Self.arguments + ["--runs-dir", root + "/killed"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Poll the files (no sleeps to guess at): kill once a run is past step 13 of 30.
        var killedAt: [String: Int] = [:]
        for _ in 0..<6000 {
            if let folder = Self.findExperimentFolder(in: root + "/killed"),
                let paths = try? RunFolderReader.runFolderPaths(at: folder),
                paths.count == 4,
                let text = try? String(contentsOfFile: paths[0] + "/metrics.jsonl", encoding: .utf8),
                text.contains("{\"step\":13,")
            {
                // A second writer, another process, is refused while the run holds the folder,
                // naming the holder; the refusal changes nothing.
                let second = try EmergentProcess.run(["resume", folder])
                #expect(second.status != 0)
                #expect(
                    second.standardError.contains("is being written by emergent run on")
                        && second.standardError.contains("PID \(process.processIdentifier)"),
                    "\(second.standardError)")
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                for path in paths {
                    killedAt[(path as NSString).lastPathComponent] =
                        try RunFolder(path: path).metrics.map(\.step).max() ?? 0
                }
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        try #require(process.terminationReason == .uncaughtSignal, "the run was killed mid-way")
        let experiment = try Self.experimentFolder(in: root + "/killed")
        for path in try RunFolderReader.runFolderPaths(at: experiment) {
            let folder = try RunFolder(path: path)  // no corrupt line anywhere
            let kept = folder.chooseCheckpoint().checkpoint?.step ?? 0
            let reached = killedAt[folder.name] ?? 0
            #expect(reached - kept <= Self.stepsPerEpoch, "\(folder.name): at step \(reached), checkpoint at \(kept)")
            #expect(reached < 3 * Self.stepsPerEpoch, "\(folder.name) was cut short")
        }
        #expect(!FileManager.default.fileExists(atPath: experiment + "/summary.json"))

        let resumed = try EmergentProcess.run(["resume", experiment])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardError.contains("resuming 4 runs"))
        #expect(try Self.metrics(experiment) == whole, "the resumed metrics equal the uninterrupted run's")
        #expect(FileManager.default.fileExists(atPath: experiment + "/summary.json"))

        // What a kill during a checkpoint write leaves (a stray temporary file) and a damaged
        // newest checkpoint: the one before is used, and the last epoch is trained again, identically.
        for path in try RunFolderReader.runFolderPaths(at: experiment) {
            let newest = path + "/checkpoints/epoch-0003.ckpt"
            var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: newest)))
            bytes[bytes.count / 2] ^= 0x40
            try Data(bytes).write(to: URL(fileURLWithPath: newest))
            try Data(bytes.prefix(100)).write(to: URL(fileURLWithPath: path + "/checkpoints/.epoch-0004.ckpt.tmp"))
        }
        let again = try EmergentProcess.run(["resume", experiment])
        #expect(again.status == 0, "\(again.standardError)")
        #expect(
            again.standardError.contains("epoch-0003.ckpt is refused: its checksum fails"), "\(again.standardError)")
        #expect(again.standardError.contains("from epoch 2 (step 20)"))
        #expect(try Self.metrics(experiment) == whole)
    }

    @Test(
        "export writes CSV whose rows match the metrics, well-formed SVG with one path per run, a report and TensorBoard files"
    )
    func export() throws {
        let root = try Self.temporary()
        let experiment = try Self.uninterrupted().folder
        let result = try EmergentProcess.run(["export", experiment, "--out", root + "/out"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("exported 4 runs to \(root)/out"))
        let train = try String(contentsOfFile: root + "/out/csv/train.csv", encoding: .utf8).split(separator: "\n")
        #expect(train.count == 1 + 3 * Self.stepsPerEpoch, "a header and one row per step")
        #expect(train[0].hasPrefix("step,00-kaiming-s0/train/acc,") && train.filter { $0.hasPrefix("step") }.count == 1)
        let test = try String(contentsOfFile: root + "/out/csv/test.csv", encoding: .utf8).split(separator: "\n")
        #expect(test.count == 1 + 3 && test[1].hasPrefix("10,") && test[3].hasPrefix("30,"))
        #expect(test[1].split(separator: ",", omittingEmptySubsequences: false).count == 1 + 4 * 2)
        for plot in ["loss", "accuracy", "emergence"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: root + "/out/plots/\(plot).svg"))
            let counter = PathCounter()
            let parser = XMLParser(data: data)
            parser.delegate = counter
            #expect(parser.parse(), "\(plot).svg is well-formed: \(String(describing: parser.parserError))")
            #expect(counter.runPaths == 4, "\(plot).svg has one path per run")
        }
        let report = try String(contentsOfFile: root + "/out/report.md", encoding: .utf8)
        #expect(report.contains("| kaiming | 1 |") && report.contains("![plots/loss.svg](plots/loss.svg)"))
        #expect(report.contains("| dense1 | 0 |") && report.contains("| dense7 | 30 |"))
        let events = try FileManager.default.contentsOfDirectory(atPath: root + "/out/tensorboard/00-kaiming-s0")
        #expect(events.count == 1 && events[0].hasPrefix("events.out.tfevents."))
    }

    static let tensorBoardAvailable = EmergentProcess.pythonImports("tensorboard")

    @Test(
        "TensorBoard's own EventAccumulator reads back every scalar of every run",
        .enabled(if: tensorBoardAvailable, "needs python3 with tensorboard (pip install tensorboard); CI installs it"))
    func tensorBoardReadsBack() throws {
        let root = try Self.temporary()
        let experiment = try Self.uninterrupted().folder
        #expect(try EmergentProcess.run(["export", experiment, "--tensorboard", "--out", root + "/out"]).status == 0)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scripts/tensorboard_readback.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, root + "/out/tensorboard", experiment]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        let total = try Self.metrics(experiment).values.map { $0.count }.reduce(0, +)
        let withClock = total + 4 * 3 * Self.stepsPerEpoch  // time/wall is exported too
        #expect(text.contains("read back \(withClock) scalars of 4 runs"), "\(text)")
    }

    @Test("bad input: a folder that is not a run, a missing one, a corrupt line in the middle")
    func badInput() throws {
        let root = try Self.temporary()
        try EmergentProcess.expectOneLineError(["resume", root], "is not a run folder: it holds no config.json")
        try EmergentProcess.expectOneLineError(["export", root + "/nothing"], "does not exist")
        try EmergentProcess.expectOneLineError(["view", root], "is not a run folder")
        // A copy of the shared run, so the others still read an intact one.
        let experiment = root + "/copy"
        try FileManager.default.copyItem(atPath: try Self.uninterrupted().folder, toPath: experiment)
        let metrics = experiment + "/01-xavier-s0/metrics.jsonl"
        var lines = try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[9] = String(lines[9].dropLast(4))
        try (lines.joined(separator: "\n") + "\n").write(toFile: metrics, atomically: true, encoding: .utf8)
        try EmergentProcess.expectOneLineError(["export", experiment], "01-xavier-s0/metrics.jsonl:10: corrupt record")
    }

    /// Whether this process may mount a small tmpfs (root in a container that allows it).
    static func mount(_ options: String, at path: String) -> Bool {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return system("mount -t tmpfs -o \(options) tmpfs \(path) 2>/dev/null") == 0
    }

    @Test(
        "a read-only runs folder is refused before training, naming the path; a full disk pauses the runs, names the path and damages nothing written"
    )
    func writeFailures() throws {
        let root = try Self.temporary()
        let readOnly = root + "/readonly"
        let mounted = Self.mount("ro,size=64k", at: readOnly)
        if !mounted {
            try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: true)
            chmod(readOnly, 0o555)
        }
        defer { if mounted { system("umount \(readOnly)") } }
        let refused = try EmergentProcess.run(["run"] + Self.arguments + ["--runs-dir", readOnly + "/runs"])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("cannot write \(readOnly)/runs"), "\(refused.standardError)")
        #expect(!refused.standardError.contains("step"), "nothing trained")

        // A full disk: a tmpfs with room for the logs but not for the checkpoints (a file-size
        // limit where mounting is not allowed: writes then fail with EFBIG instead of ENOSPC).
        let full = root + "/full"
        let small = Self.mount("size=1m", at: full)
        defer { if small { system("umount \(full)") } }
        let command =
            (small ? "" : "mkdir -p \(full); ulimit -f 2048; ")
            + "exec \(EmergentProcess.executable.path) run \(Self.arguments.joined(separator: " ")) --runs-dir \(full)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(stderr.contains(small ? "No space left on device" : "File too large"), "\(stderr)")
        #expect(stderr.contains("the run is paused"), "\(stderr)")
        #expect(stderr.contains("run folder write(s) failed"), "\(stderr)")
        let experiment = try Self.experimentFolder(in: full)
        for path in try RunFolderReader.runFolderPaths(at: experiment) {
            let folder = try RunFolder(path: path)  // every line written is whole
            #expect(folder.events.contains { $0.kind == "started" })
            #expect(folder.chooseCheckpoint().refused.isEmpty, "no damaged checkpoint is left behind")
        }
    }
}

/// Counts the `<path class="run">` elements of an SVG.
final class PathCounter: NSObject, XMLParserDelegate {
    var runPaths = 0
    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if elementName == "path" && attributes["class"] == "run" { runPaths += 1 }
    }
}
