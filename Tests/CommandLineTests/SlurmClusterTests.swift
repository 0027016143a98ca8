import Foundation
import Testing

@testable import EmergentCore

/// A single-node Slurm cluster on loopback for one test: `Tests/Slurm/local-cluster.sh`
/// starts it in a fresh folder and stops it in the safe order when the test ends.
final class LocalCluster {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Slurm/local-cluster.sh").path

    /// Why the cluster tests cannot run here (nil when they can).
    static let unavailable: String? = {
        let needed = ["/usr/bin/sbatch", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged"]
        let missing = needed.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        if !missing.isEmpty {
            return "Slurm is not installed (no \(missing.joined(separator: ", "))): apt-get install slurm-wlm munge"
        }
        if getuid() != 0 { return "the local Slurm cluster runs its daemons as root, and this is not root" }
        return nil
    }()

    let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-slurm-\(UUID().uuidString)")
    var environment: [String: String] {
        ProcessInfo.processInfo.environment.merging(["SLURM_CONF": directory + "/slurm.conf"]) { $1 }
    }

    init() throws {
        let started = system("bash \(Self.script) start \(directory) > \(directory).start.log 2>&1")
        guard started == 0 else {
            let log = (try? String(contentsOfFile: directory + ".start.log", encoding: .utf8)) ?? ""
            throw ClusterError(message: "the local cluster did not start:\n\(log)")
        }
    }

    deinit { system("bash \(Self.script) stop \(directory) > /dev/null 2>&1") }

    struct ClusterError: Error, CustomStringConvertible { let message: String; var description: String { message } }

    /// Runs one of Slurm's commands against this cluster.
    func slurm(_ command: String) -> String {
        let pipe = Pipe(), process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = environment
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try? process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite(
    "Slurm sweeps on a real local cluster", .serialized,
    .enabled(if: LocalCluster.unavailable == nil, Comment(rawValue: LocalCluster.unavailable ?? "")))
struct SlurmClusterTests {
    static let short = [
        "--epoch-size", "512", "--set", "eval_size=200", "--set", "model.widths=[32]",
    ]

    /// The experiment folder `sweep --slurm` printed.
    static func directory(_ output: String) -> String? {
        output.firstMatch(of: /emergent sweep --status (\S+)/).map { String($0.1) }
    }

    /// Polls `--status` until `condition` holds on its summary line (the bound only turns a
    /// hang into a failure).
    @discardableResult
    static func waitForStatus(
        _ directory: String, cluster: LocalCluster, polls: Int = 3000, _ condition: (String) -> Bool
    ) throws -> String {
        var text = ""
        for _ in 0..<polls {
            let result = try EmergentProcess.run(["sweep", "--status", directory], environment: cluster.environment)
            text = result.standardOutput
            // The exit code a script reads agrees with the summary line, every time it is asked.
            if let summary = text.firstMatch(of: /cells?: \d+ done, (\d+) running, (\d+) queued(.*)/) {
                // Anything after "queued" but a count of diverged cells is a cell that is not done.
                let rest = String(summary.3).replacing(/, \d+ diverged/, with: "")
                let going = Int(summary.1)! + Int(summary.2)! > 0 || rest.contains("requeued")
                let expected: Int32 = going ? 3 : rest.isEmpty ? 0 : 1
                #expect(result.status == expected, "exit \(result.status) for: \(summary.0)")
            }
            if condition(text) { return text }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("waited for the status; it is:\n\(text)")
        return text
    }

    /// A run's metrics without the clock: equal for two runs that trained identically.
    static func metrics(_ folder: String) throws -> [String] {
        try RunFolder(path: folder).metrics.filter { !$0.key.hasPrefix("time/") }.map {
            "\($0.step) \($0.key) \($0.value)"
        }
    }

    @Test(
        "a 2 × 2 grid with 2 seeds: 8 tasks run, 8 complete folders, the status and the heatmap; submitting again submits nothing"
    )
    func fullSweep() throws {
        let cluster = try LocalCluster()
        let root = cluster.directory + "/runs"
        let arguments =
            [
                "sweep", "default", "--grid", "lr=0.02,0.05", "--grid", "momentum=0.5,0.9", "--seeds", "2", "--epochs",
                "1",
            ]
            + Self.short + ["--runs-dir", root, "--slurm"]
        let submitted = try EmergentProcess.run(arguments, environment: cluster.environment)
        #expect(submitted.status == 0, "\(submitted.standardError)")
        #expect(submitted.standardOutput.contains("8 array tasks for 4 cells (8 runs, 1 core each)"))
        let directory = try #require(Self.directory(submitted.standardOutput), "\(submitted.standardOutput)")
        let status = try Self.waitForStatus(directory, cluster: cluster) { $0.contains("4 cells: 4 done") }
        #expect(status.contains("4 cells: 4 done, 0 running, 0 queued") && !status.contains("failed"))
        #expect(status.contains("best: lr=") && status.contains("momentum=0.5 momentum=0.9"), "the heatmap:\n\(status)")
        let folders = try RunFolderReader.runFolderPaths(at: directory)
        #expect(folders.count == 8)
        for folder in folders {
            let run = try RunFolder(path: folder)
            #expect(run.events.contains { $0.kind == "finished" }, "\(folder) finished")
            #expect(run.metrics.contains { $0.key == "test/acc" }, "\(folder) has its test metric")
        }
        for task in 0..<8 { #expect(SlurmFolder.exitCode(task: task, in: directory) == 0, "task \(task)") }
        let again = try EmergentProcess.run(arguments, environment: cluster.environment)
        #expect(again.status == 0 && again.standardOutput.contains("nothing to submit"), "\(again.standardOutput)")
    }

    @Test(
        "a task cancelled mid-run: the status shows it, a resubmission runs only that cell, and the folders equal an uninterrupted sweep's"
    )
    func cancelledTask() throws {
        let cluster = try LocalCluster()
        let root = cluster.directory + "/runs"
        let sweep = ["sweep", "default", "--grid", "lr=0.02,0.05", "--epochs", "30"] + Self.short
        let submitted = try EmergentProcess.run(
            sweep + ["--runs-dir", root, "--slurm"], environment: cluster.environment)
        #expect(submitted.status == 0, "\(submitted.standardError)")
        let directory = try #require(Self.directory(submitted.standardOutput), "\(submitted.standardOutput)")
        let job = try #require(SlurmFolder.submissions(in: directory).first?.job)
        let folder = try #require(try RunFolderReader.runFolderPaths(at: directory).first)
        // Freeze task 0 once its first checkpoint is on disk, so that it cannot finish before the cancel.
        var frozen = false
        for _ in 0..<3000 where !frozen {
            if FileManager.default.fileExists(atPath: folder + "/checkpoints/epoch-0001.ckpt") {
                frozen = system("pkill -STOP -f '[e]mergent resume.*\(folder)'") == 0
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        try #require(frozen, "task 0 never wrote its first checkpoint")
        try #require(!(try RunFolder(path: folder)).events.contains { $0.kind == "finished" }, "task 0 finished first")
        _ = cluster.slurm("scancel \(job)_0")
        let cancelled = try Self.waitForStatus(directory, cluster: cluster) {
            $0.contains("cancelled") && $0.contains("1 done")
        }
        #expect(cancelled.contains("lr=0.02") && cancelled.contains("task 0 was cancelled"), "\(cancelled)")
        // view says so too, asking the same cluster: the cancelled task's run row, not "stopped".
        let terminal = DashboardTerminalTests()
        #expect(terminal.start("SLURM_CONF=\(cluster.directory)/slurm.conf", arguments: "view \(directory)"))
        let viewed = terminal.waitFor("the cancelled run's row") { screen in
            screen.split(separator: "\n").contains { $0.contains("lr=0.02") && $0.contains("cancelled") }
        }
        #expect(viewed.split(separator: "\n").contains { $0.contains("lr=0.05") && $0.contains("done") }, "\(viewed)")
        terminal.keys("q")
        terminal.waitFor("the exit") { $0.contains("EXIT=0") }
        _ = try? TerminalProgressTests.tmux(terminal.socket, ["kill-server"])
        let again = try EmergentProcess.run(sweep + ["--runs-dir", root, "--slurm"], environment: cluster.environment)
        #expect(
            again.standardOutput.contains("1 of the sweep's tasks that are not done (array 0)"),
            "\(again.standardOutput)")
        try Self.waitForStatus(directory, cluster: cluster) { $0.contains("2 cells: 2 done") }
        let events = try RunFolder(path: folder).events
        #expect(events.contains { $0.kind == "resumed_from_checkpoint" }, "the resubmitted task resumed")
        // The same sweep trained here without interruption.
        let reference = cluster.directory + "/reference"
        let local = try EmergentProcess.run(sweep + ["--runs-dir", reference])
        #expect(local.status == 0, "\(local.standardError)")
        let uninterrupted = try RunFolderReader.runFolderPaths(at: reference)
        let resumed = try RunFolderReader.runFolderPaths(at: directory)
        #expect(
            uninterrupted.map { ($0 as NSString).lastPathComponent }
                == resumed.map { ($0 as NSString).lastPathComponent })
        for (a, b) in zip(uninterrupted, resumed) {
            let (expected, actual) = (try Self.metrics(a), try Self.metrics(b))
            #expect(!expected.isEmpty && expected == actual, "\(b) differs from the uninterrupted \(a)")
        }
    }

    @Test("run --slurm with a seed group: one task per seed, one row of the status, both folders finished")
    func seedGroup() throws {
        let cluster = try LocalCluster()
        let file = cluster.directory + "/kaiming.json"
        try #"{"name": "kaiming", "runs": [{"init": "kaiming"}]}"#.write(
            toFile: file, atomically: true, encoding: .utf8)
        let submitted = try EmergentProcess.run(
            ["run", file, "--seeds", "2", "--epochs", "1"] + Self.short
                + ["--runs-dir", cluster.directory + "/runs", "--slurm"], environment: cluster.environment)
        #expect(submitted.status == 0, "\(submitted.standardError)")
        #expect(submitted.standardOutput.contains("2 array tasks for 1 cell (2 runs, 1 core each)"))
        let directory = try #require(Self.directory(submitted.standardOutput), "\(submitted.standardOutput)")
        let status = try Self.waitForStatus(directory, cluster: cluster) { $0.contains("1 cell: 1 done") }
        #expect(status.contains("1 cell: 1 done, 0 running, 0 queued"), "\(status)")
        let row = status.split(separator: "\n").first { $0.hasPrefix("kaiming ") }
        #expect(row?.contains(" done ") == true && row?.contains("1/1") == true, "the group's row: \(status)")
        let folders = try RunFolderReader.runFolderPaths(at: directory)
        #expect(folders.count == 2)
        let seeds = try folders.map { try RunFolder(path: $0).seed }
        #expect(Set(seeds).count == 2, "two seeds: \(seeds)")
        for folder in folders {
            #expect(try RunFolder(path: folder).events.contains { $0.kind == "finished" }, "\(folder) finished")
        }
    }

    @Test(
        "a task that meets its time limit is warned, checkpoints inside its epoch, is requeued and finishes with an uninterrupted run's metrics"
    )
    func timeLimit() throws {
        let cluster = try LocalCluster()
        let root = cluster.directory + "/runs"
        let sweep = ["sweep", "default", "--grid", "lr=0.02,0.05", "--seeds", "1", "--epochs", "4"] + Self.short
        let submitted = try EmergentProcess.run(
            sweep + ["--runs-dir", root, "--slurm", "--time", "1", "--grace", "30", "--max-running", "1"],
            environment: cluster.environment)
        #expect(submitted.status == 0, "\(submitted.standardError)")
        let directory = try #require(Self.directory(submitted.standardOutput), "\(submitted.standardOutput)")
        let folder = try #require(try RunFolderReader.runFolderPaths(at: directory).first)
        let log = SlurmFolder.logPath(task: 0, in: directory)
        // Hold task 0 once it trains, so that it meets its limit whatever this machine's speed;
        // let it go once Slurm's warning (30 s ahead, up to a minute early) reached its script.
        var held = false
        for _ in 0..<6000 where !held {
            if let text = try? String(contentsOfFile: folder + "/metrics.jsonl", encoding: .utf8), text.contains("\"step\":2,") {
                held = system("pkill -STOP -f '[e]mergent resume.*\(folder)'") == 0
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(held, "task 0 trained and was held")
        var warned = false
        for _ in 0..<3000 where !warned {
            warned = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("the time limit is near")
            if !warned { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(warned, "Slurm warned the task before its limit")
        system("pkill -CONT -f '[e]mergent resume.*\(folder)'")
        let status = try Self.waitForStatus(directory, cluster: cluster) { $0.contains("2 cells: 2 done") }
        #expect(status.contains("2 cells: 2 done, 0 running, 0 queued"), "\(status)")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("emergent: task 0 checkpointed; requeued at"), "\(text)")
        // The checkpoint the requeued task went on from is where the warned one stood.
        let run = try RunFolder(path: folder)
        let resumedFrom = run.events.filter { $0.kind == "resumed_from_checkpoint" }
        #expect(!resumedFrom.isEmpty, "the requeued task resumed from a checkpoint")
        let checkpoints = run.events.filter { $0.kind == "checkpoint" }
        let stepsPerEpoch = 512 / 128
        for event in checkpoints where event.step % stepsPerEpoch != 0 {
            #expect(event.text.contains(String(format: "epoch-%04d.step-%08d.ckpt", event.step / stepsPerEpoch, event.step)))
        }
        #expect(checkpoints.contains { $0.step % stepsPerEpoch != 0 } || checkpoints.count > 4, "a checkpoint inside an epoch")
        // The same sweep trained here without interruption.
        let reference = cluster.directory + "/reference"
        let local = try EmergentProcess.run(sweep + ["--runs-dir", reference])
        #expect(local.status == 0, "\(local.standardError)")
        for (a, b) in zip(try RunFolderReader.runFolderPaths(at: reference), try RunFolderReader.runFolderPaths(at: directory)) {
            let (expected, actual) = (try Self.metrics(a), try Self.metrics(b))
            #expect(!expected.isEmpty && expected == actual, "\(b) differs from the uninterrupted \(a)")
        }
    }

    @Test(
        "report --slurm: each call submits what the finished runs make possible, the last writes the report; --collect writes it again; both equal a local quick report in every figure but time"
    )
    func reportOnCluster() throws {
        let cluster = try LocalCluster()
        let out = cluster.directory + "/report"
        let claim = QuickUpdaterReport.command
        var report: String?
        var passes = 0
        // An array of at most 16 tasks (Slurm's MaxArraySize on a small site): the 24 runs of a
        // round take two passes, and indices pass from ended runs to new ones.
        let walkCommand = claim + ["--out", out, "--slurm", "--array-limit", "16"]
        var deferred = false
        while report == nil && passes < 10 {
            passes += 1
            let walk = try EmergentProcess.run(walkCommand, environment: cluster.environment)
            #expect(walk.status == 0, "\(walk.standardError)")
            if walk.standardOutput.hasSuffix("REPORT.md\n") {
                report = walk.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
                break
            }
            #expect(walk.standardOutput.hasPrefix("submitted job "), "pass \(passes): \(walk.standardOutput)")
            deferred = deferred || walk.standardOutput.contains("8 more wait for a later pass (the array holds 16 tasks)")
            // The next walk needs these runs' results: wait until the queue is empty.
            var polls = 0
            while !cluster.slurm("squeue -h -r").isEmpty && polls < 6000 {
                polls += 1
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        let written = try #require(report, "the report was written after \(passes) passes")
        #expect(passes >= 4 && deferred, "tuning first, then the tuned arms, each round in two arrays")
        // No index past the limit; a run that gave its index away keeps its task's log.
        let tasks = try String(contentsOfFile: out + "/runs/slurm/tasks.txt", encoding: .utf8)
        #expect(tasks.split(separator: "\n").count == 16)
        let movedLogs = try FileManager.default.subpathsOfDirectory(atPath: out + "/runs")
            .filter { $0.hasSuffix("/" + ReportSubmission.movedLog) }
        #expect(movedLogs.count >= 16, "\(movedLogs.count) moved logs")
        if let first = movedLogs.first {
            #expect(try String(contentsOfFile: out + "/runs/" + first, encoding: .utf8).contains("emergent: task "))
        }
        let collected = try EmergentProcess.run(claim + ["--collect", out], environment: cluster.environment)
        #expect(collected.status == 0 && collected.standardOutput.hasSuffix("REPORT.md\n"), "\(collected.standardError)")
        try QuickUpdaterReport.expectEqual(out)
        #expect(written == out + "/REPORT.md")
        // Once every run is done, --slurm submits nothing: finished runs stay finished.
        let jobs = try String(contentsOfFile: out + "/runs/slurm/jobs.txt", encoding: .utf8)
        let again = try EmergentProcess.run(walkCommand, environment: cluster.environment)
        #expect(again.status == 0 && again.standardOutput == written + "\n", "\(again.standardOutput)\(again.standardError)")
        #expect(try String(contentsOfFile: out + "/runs/slurm/jobs.txt", encoding: .utf8) == jobs)
        // --collect of a folder no report trained names it.
        let empty = try EmergentProcess.run(claim + ["--collect", cluster.directory + "/nothing"])
        #expect(empty.status != 0 && empty.standardError.contains("holds no runs"), "\(empty.standardError)")
    }

    @Test(
        "a site's options reach the job (--mem read back from scontrol), --max-running 1 keeps one task running, both recorded in sweep.json"
    )
    func siteOptions() throws {
        let cluster = try LocalCluster()
        let submitted = try EmergentProcess.run(
            ["sweep", "default", "--grid", "lr=0.02,0.05", "--seeds", "2", "--epochs", "1"] + Self.short
                + ["--runs-dir", cluster.directory + "/runs", "--slurm", "--sbatch-arg=--mem=100M", "--max-running", "1"],
            environment: cluster.environment)
        #expect(submitted.status == 0, "\(submitted.standardError)")
        let directory = try #require(Self.directory(submitted.standardOutput), "\(submitted.standardOutput)")
        let job = try #require(SlurmFolder.submissions(in: directory).first?.job)
        let shown = cluster.slurm("scontrol show job \(job)")
        #expect(shown.contains("MinMemoryNode=100M"), "\(shown)")
        #expect(shown.contains("ArrayTaskThrottle=1"), "\(shown)")
        let script = try String(contentsOfFile: directory + "/slurm/sweep.sbatch", encoding: .utf8)
        #expect(script.contains("\n#SBATCH --mem=100M\n"))
        let manifest = try #require(try SweepManifest.load(directory: directory))
        #expect(manifest.sbatchArguments == ["--mem=100M"] && manifest.maxRunning == 1)
        // Every look at the queue until all 4 tasks are done: never two running at once.
        var looks = 0
        while true {
            let running = cluster.slurm("squeue -h -r -j \(job) -t RUNNING -o %i").split(separator: "\n").count
            #expect(running <= 1, "\(running) tasks running at once")
            looks += 1
            let status = try EmergentProcess.run(["sweep", "--status", directory], environment: cluster.environment)
            if status.status == 0 {
                #expect(status.standardOutput.contains("2 cells: 2 done"))
                break
            }
            #expect(status.status == 3, "still going: exit 3, not \(status.status)\n\(status.standardOutput)")
            if looks > 3000 { Issue.record("the sweep never ended"); break }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    @Test("bad input with a cluster: sbatch's refusal is passed on, and a runs directory that is not writable is named")
    func refusals() throws {
        let cluster = try LocalCluster()
        let arguments = ["sweep", "default", "--grid", "lr=0.02,0.05", "--epochs", "1"] + Self.short
        let refused = try EmergentProcess.run(
            arguments + ["--runs-dir", cluster.directory + "/runs", "--slurm", "--partition", "nosuch"],
            environment: cluster.environment)
        #expect(refused.status != 0)
        #expect(
            refused.standardError.contains("sbatch refused the job: sbatch: error: invalid partition"),
            "\(refused.standardError)")
        // An option this sbatch does not know: refused by sbatch itself, and no folder is left behind.
        let unknown = try EmergentProcess.run(
            arguments + ["--runs-dir", cluster.directory + "/runs", "--slurm", "--sbatch-arg=--no-such-option=1"],
            environment: cluster.environment)
        #expect(unknown.status != 0 && unknown.standardError.contains("sbatch refused the job"), "\(unknown.standardError)")
        #expect(unknown.standardError.split(separator: "\n").count == 1, "one line: \(unknown.standardError)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: cluster.directory + "/runs")) ?? []
        #expect(left.isEmpty, "nothing half-made: \(left)")
        let readOnly = cluster.directory + "/readonly"
        try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: true)
        let mounted = system("mount -t tmpfs -o ro,size=64k tmpfs \(readOnly) 2>/dev/null") == 0
        if !mounted { chmod(readOnly, 0o555) }
        defer { if mounted { system("umount \(readOnly)") } }
        let unwritable = try EmergentProcess.run(
            arguments + ["--runs-dir", readOnly + "/runs", "--slurm"], environment: cluster.environment)
        #expect(unwritable.status != 0)
        #expect(
            unwritable.standardError.contains("cannot write \(readOnly)/runs")
                && unwritable.standardError.contains("must be writable"), "\(unwritable.standardError)")
    }
}

@Suite("Slurm sweeps: bad input without a cluster")
struct SlurmInputTests {
    @Test(
        "no sbatch on the PATH, a grid too large for --array-limit, Slurm flags without --slurm, --dashboard with --slurm, a folder that is not a sweep's",
        arguments: [
            (["--slurm"], "Slurm's sbatch is not on the PATH: --slurm needs a Slurm cluster"),
            (
                ["--grid", "momentum=0:0.98:0.02", "--seeds", "2", "--slurm", "--array-limit", "1"],
                "do not fit in --array-limit 1"
            ),
            (["--partition", "debug"], "--partition needs --slurm"),
            (["--slurm", "--time", "2h"], "--time '2h' is not a Slurm time"),
            (["--slurm", "--dashboard"], "with --slurm, watch with emergent view"),
            (["--slurm", "--sbatch-arg=--array=0-9"], "'--array=0-9' sets --array, which emergent controls"),
            (["--slurm", "--sbatch-arg=--output=x.log"], "'--output=x.log' sets --output, which emergent controls"),
            (["--sbatch-arg=--mem=4G"], "--sbatch-arg needs --slurm"),
            (["--slurm", "--max-running", "0"], "--max-running 0 is out of range"),
            (["--slurm", "--time", "1", "--grace", "90"], "--grace 90 is not shorter than --time 1 (60 s)"),
            (["--grace", "30"], "--grace needs --slurm"),
        ])
    func badInput(extra: [String], expected: String) throws {
        // An empty PATH: no Slurm commands, whatever this machine has.
        let result = try EmergentProcess.run(
            ["sweep", "default", "--grid", "lr=0.02,0.05"] + extra, environment: ["PATH": "/nonexistent"])
        #expect(result.status != 0)
        #expect(result.standardError.split(separator: "\n").count == 1, "one line: \(result.standardError)")
        #expect(result.standardError.contains(expected), "\(result.standardError)")
    }

    @Test("run --slurm --dry-run: the script and one array task per run, without Slurm or a folder written")
    func runDryRun() throws {
        let root = NSTemporaryDirectory() + "emergent-dry-\(UUID().uuidString)"
        let result = try EmergentProcess.run(
            ["run", "default", "--seeds", "2", "--runs-dir", root, "--slurm", "--dry-run", "--cpus-per-task", "2"],
            environment: ["PATH": "/nonexistent"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("#!/usr/bin/env bash\n"))
        #expect(result.standardOutput.contains("#SBATCH --cpus-per-task=2\n"))
        #expect(result.standardOutput.contains("# 8 array tasks for 4 cells (8 runs, 2 cores each)"))
        #expect(
            result.standardOutput.contains("# sbatch --array=0-7 \(root)/default-<yyyyMMdd-HHmmss>/slurm/sweep.sbatch"))
        #expect(!FileManager.default.fileExists(atPath: root), "a dry run writes nothing")
        try EmergentProcess.expectOneLineError(
            ["run", "default", "--slurm"], "Slurm's sbatch is not on the PATH: --slurm needs a Slurm cluster",
            environment: ["PATH": "/nonexistent"])
    }

    @Test("--status on a folder that is not a sweep's, and on one whose sweep.json is corrupt")
    func badStatus() throws {
        let directory = NSTemporaryDirectory() + "emergent-status-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try EmergentProcess.expectOneLineError(
            ["sweep", "--status", directory], "not a sweep's folder: it has no sweep.json")
        try "{\"grids\": [".write(toFile: directory + "/sweep.json", atomically: true, encoding: .utf8)
        try EmergentProcess.expectOneLineError(["sweep", "--status", directory], directory + "/sweep.json: line 1")
    }
}
