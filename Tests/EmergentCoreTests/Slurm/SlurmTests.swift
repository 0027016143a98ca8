import Foundation
import Testing

@testable import EmergentCore

@Suite("Slurm sweeps: the script, the task packing, Slurm's output, the manifest and the status")
struct SlurmTests {
    @Test("--array specs: runs of indices become ranges, and read back")
    func arraySpecs() {
        #expect(SlurmScript.arraySpec([0, 1, 2, 3, 5, 7, 8, 9]) == "0-3,5,7-9")
        #expect(SlurmScript.arraySpec([4]) == "4")
        #expect(SlurmScript.arraySpec([3, 1, 2]) == "1-3", "sorted first")
        #expect(SlurmScript.arraySpec([]) == "")
        #expect(SlurmQueue.indices("0-3,5,7-9") == [0, 1, 2, 3, 5, 7, 8, 9])
        for bad in ["", "3-1", "a", "1-2-3", "1,,2"] { #expect(SlurmQueue.indices(bad) == nil, "\(bad)") }
    }

    @Test("tasks: one unit a task while they fit the array limit, packed when not, refused past 64 runs a task")
    func packing() throws {
        let units = (0..<10).map { ["run\($0)a", "run\($0)b"] }
        #expect(try SlurmScript.tasks(units, arrayLimit: 1000) == units)
        let packed = try SlurmScript.tasks(units, arrayLimit: 4)
        #expect(packed.count == 4 && packed[0] == ["run0a", "run0b", "run1a", "run1b", "run2a", "run2b"])
        #expect(packed.flatMap { $0 } == units.flatMap { $0 }, "every run once, in order")
        #expect(try SlurmScript.tasks(units, arrayLimit: 1) == [units.flatMap { $0 }], "20 runs fit one task")
        let error = #expect(throws: SweepError.self, "100 runs in one task were accepted") {
            try SlurmScript.tasks((0..<100).map { ["r\($0)"] }, arrayLimit: 1)
        }
        #expect(error?.description.contains("100 cell × seed tasks do not fit in --array-limit 1") == true)
        #expect(error?.description.contains("at most 64") == true)
    }

    @Test("options: each bad value names its flag and what it takes")
    func options() throws {
        let cases: [(SlurmScript.Options, String)] = [
            (.init(partition: "debug queue"), "--partition 'debug queue' is not a partition name"),
            (.init(partition: ""), "--partition '' is not a partition name"),
            (.init(time: "2h"), "--time '2h' is not a Slurm time"),
            (.init(time: "1:2:3:4"), "--time '1:2:3:4'"),
            (.init(cpusPerTask: 0), "--cpus-per-task 0 is out of range; it must be in 1...256"),
            (.init(arrayLimit: 0), "--array-limit 0 is out of range"),
            (.init(maxRunning: 0), "--max-running 0 is out of range; it must be in 1...1000000"),
            (.init(time: "1", grace: 60), "--grace 60 is not shorter than --time 1 (60 s)"),
            (.init(time: "2:00", grace: 300), "--grace 300 is not shorter than --time 2:00 (120 s)"),
            (.init(grace: 2), "--grace 2 is out of range; it must be in 5...86400 seconds"),
            (.init(checkpointMinutes: 0), "--checkpoint-minutes 0.0 is out of range"),
            (.init(checkpointMinutes: .nan), "--checkpoint-minutes nan is out of range"),
            (.init(sbatchArguments: ["--array=0-3"]), "'--array=0-3' sets --array, which emergent controls: the job array sets it (to resubmit only what is unfinished); use --max-running for %N"),
            (.init(sbatchArguments: ["-a5"]), "'-a5' sets --array"),
            (.init(sbatchArguments: ["--output=/tmp/x.log"]), "sets --output, which emergent controls"),
            (.init(sbatchArguments: ["-o/tmp/x"]), "sets --output"),
            (.init(sbatchArguments: ["--partition=gpu"]), "sets --partition, which emergent controls: use --partition"),
            (.init(sbatchArguments: ["--mem 4G"]), "'--mem 4G' holds a space or quote"),
            (.init(sbatchArguments: ["mem=4G"]), "'mem=4G' is not an sbatch option"),
            (.init(sbatchArguments: ["--mem=4G", "--comment='x'"]), "holds a space or quote"),
        ]
        for (options, expected) in cases {
            do {
                _ = try options.validated()
                Issue.record("accepted \(options)")
            } catch { #expect(error.description.contains(expected), "\(error.description)") }
        }
        let site = SlurmScript.Options(
            sbatchArguments: ["--mem=4G", "--account=abc", "-Aabc", "--qos=normal", "--constraint=avx512"], maxRunning: 2)
        #expect(try site.validated() == site, "a site's options pass: -A is --account, not --array")
        for (time, seconds) in [
            ("30", 1800), ("30:15", 1815), ("2:00:00", 7200), ("1-12", 129_600), ("1-12:30", 131_400),
            ("1-12:30:05", 131_405),
        ] {
            #expect(SlurmScript.Options.seconds(time) == seconds, "\(time)")
        }
        #expect(SlurmScript.Options.seconds("2h") == nil)
        #expect(SlurmScript.Options(time: "1").warningSeconds == 15, "a quarter of a 60-s limit")
        #expect(SlurmScript.Options(time: "2:00:00").warningSeconds == 120)
        #expect(SlurmScript.Options(time: "1", grace: 20).warningSeconds == 20)
        #expect(SlurmScript.Options().warningSeconds == 120)
        for time in ["30", "30:00", "2:00:00", "1-12", "1-12:30", "1-12:30:00"] {
            #expect(throws: Never.self) { try SlurmScript.Options(time: time).validated() }
        }
        #expect(throws: SweepError.self) { try SlurmScript.checkPath("/tmp/my runs", what: "the runs directory") }
        #expect(throws: SweepError.self) { try SlurmScript.checkPath("/tmp/100%", what: "the runs directory") }
        #expect(throws: Never.self) { try SlurmScript.checkPath("/shared/runs-1.2_x", what: "the runs directory") }
    }

    @Test("an experiment file's slurm.sbatch_args: read in order; a reserved or malformed one refused naming its key")
    func fileArguments() throws {
        func parse(_ slurm: String) throws(ExperimentError) -> ExperimentConfig {
            try ExperimentConfig.parse(
                try! JSONParser.parse(#"{"runs": [{"init": "kaiming"}], "slurm": \#(slurm)}"#), defaultName: "site")
        }
        #expect(try parse(#"{"sbatch_args": ["--mem=4G", "--account=abc"]}"#).sbatchArguments == ["--mem=4G", "--account=abc"])
        #expect(try parse("{}").sbatchArguments.isEmpty)
        for (slurm, expected) in [
            (#"{"sbatch_args": ["--mem=4G", "--array=1-3"]}"#, "slurm.sbatch_args[1]: '--array=1-3' sets --array"),
            (#"{"sbatch_args": "--mem=4G"}"#, "slurm.sbatch_args: must be a list of strings"),
            (#"{"sbatch_args": [4]}"#, "slurm.sbatch_args[0]: must be a string"),
            (#"{"sbatch_arg": []}"#, "sbatch_arg"),
        ] {
            let refusal = #expect(throws: ExperimentError.self, "\(slurm)") { try parse(slurm) }
            #expect(refusal?.description.contains(expected) == true, "\(refusal?.description ?? "")")
        }
    }

    @Test("the script: sbatch directives from the options, the task's line of tasks.txt, resume, the exit code")
    func script() throws {
        let script = SlurmScript(
            name: "control", directory: "/shared/runs/control-20261203-000000", executable: "/opt/emergent",
            options: .init(partition: "gpu", time: "1:00:00", cpusPerTask: 2))
        let lines = script.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "#!/usr/bin/env bash")
        for directive in [
            "#SBATCH --job-name=emergent-control", "#SBATCH --cpus-per-task=2", "#SBATCH --time=1:00:00",
            "#SBATCH --partition=gpu", "#SBATCH --output=/shared/runs/control-20261203-000000/slurm/task-%a.log",
            "#SBATCH --requeue",
        ] {
            #expect(lines.contains(directive), "\(directive)")
        }
        #expect(lines.contains { $0.hasPrefix("'/opt/emergent' resume --workers \"${SLURM_CPUS_PER_TASK:-1}\"") })
        #expect(lines.contains("#SBATCH --signal=B:USR1@120"), "the warning, two minutes ahead by default")
        #expect(lines.contains { $0.hasPrefix("trap ") && $0.hasSuffix("USR1") })
        #expect(lines.contains("if [ \"$code\" = 99 ]; then"))
        #expect(lines.contains { $0.contains("scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"") })
        let periodic = SlurmScript(
            name: "x", directory: "/d", executable: "/e", options: .init(time: "1", grace: 20, checkpointMinutes: 0.5))
        #expect(periodic.text.contains("#SBATCH --signal=B:USR1@20\n"))
        #expect(periodic.text.contains("'/e' resume --workers \"${SLURM_CPUS_PER_TASK:-1}\" --checkpoint-minutes 0.5 \"${paths[@]}\" &"))
        let site = SlurmScript(
            name: "x", directory: "/d", executable: "/e",
            options: .init(partition: "gpu", sbatchArguments: ["--mem=4G", "--account=abc"], maxRunning: 3))
        let siteLines = site.text.split(separator: "\n").map(String.init)
        let partition = try #require(siteLines.firstIndex(of: "#SBATCH --partition=gpu"))
        #expect(Array(siteLines[(partition + 1)...(partition + 2)]) == ["#SBATCH --mem=4G", "#SBATCH --account=abc"])
        #expect(SlurmScript.arrayArgument([0, 1, 2, 5], maxRunning: 3) == "0-2,5%3")
        #expect(SlurmScript.arrayArgument([4], maxRunning: nil) == "4")
        #expect(
            !SlurmScript(name: "x", directory: "/d", executable: "/e", options: .init()).text.contains("--partition"))
    }

    @Test("the script runs as a task: it picks its line of tasks.txt, and an unknown task exits 2 with a message")
    func scriptRuns() throws {
        let directory = NSTemporaryDirectory() + "emergent-slurm-script-\(UUID().uuidString)"
        // A stand-in for emergent that records its arguments: the script's own logic is under test.
        let recorder = directory + "/record.sh"
        try FileManager.default.createDirectory(atPath: directory + "/slurm", withIntermediateDirectories: true)
        try "#!/bin/sh\necho \"$@\" > \(directory)/arguments\n".write(
            toFile: recorder, atomically: true, encoding: .utf8)
        chmod(recorder, 0o755)
        try SlurmFolder.writeTasks([["00-a-s0", "01-b-s0"], ["02-a-s1"]], in: directory)
        let path = try SlurmFolder.writeScript(
            SlurmScript(name: "t", directory: directory, executable: recorder, options: .init()))
        func run(task: Int) -> Int32 {
            system("SLURM_ARRAY_TASK_ID=\(task) SLURM_CPUS_PER_TASK=3 bash \(path) > /dev/null 2>&1") >> 8
        }
        #expect(run(task: 1) == 0)
        #expect(
            try String(contentsOfFile: directory + "/arguments", encoding: .utf8)
                == "resume --workers 3 \(directory)/02-a-s1\n")
        #expect(SlurmFolder.exitCode(task: 1, in: directory) == 0)
        #expect(run(task: 0) == 0)
        #expect(
            try String(contentsOfFile: directory + "/arguments", encoding: .utf8).hasSuffix(
                "00-a-s0 \(directory)/01-b-s0\n"))
        #expect(run(task: 5) == 2)
        #expect(SlurmFolder.exitCode(task: 5, in: directory) == 2)
    }

    @Test("squeue and scontrol output: our jobs' tasks by index, a resubmission wins, junk lines are skipped")
    func slurmOutput() throws {
        let queue = SlurmQueue.parseQueue(
            """
            5|4|RUNNING|None
            5|6|PENDING|Resources
            9|6|PENDING|Priority
            77|1|RUNNING|None
            garbage
            5|x|RUNNING|None

            """, jobs: [5, 9])
        #expect(queue.keys.sorted() == [4, 6])
        #expect(queue[4] == .init(job: 5, task: 4, state: "RUNNING"))
        #expect(queue[6] == .init(job: 9, task: 6, state: "PENDING", reason: "Priority"), "the later job")
        #expect(queue[4]?.isRunning == true && queue[6]?.isQueued == true)
        let line =
            "JobId=8 ArrayJobId=5 ArrayTaskId=2 JobName=emergent-default JobState=CANCELLED Reason=None "
            + "ExitCode=0:15 RunTime=00:00:16 StdErr=/tmp/sr/slurm/task-2.log StdOut=/tmp/sr/slurm/task-2.log Power= "
        let job = try #require(SlurmQueue.parseJob(line))
        #expect(job.state == "CANCELLED" && job.exitCode == "0:15" && job.log == "/tmp/sr/slurm/task-2.log")
        #expect(SlurmQueue.parseJob("slurm_load_jobs error: Invalid job id specified") == nil)
        let submissions = SlurmQueue.parseSubmissions("12 0-3,5\nbroken line here\n13 x\n14 2\n")
        #expect(submissions.map(\.job) == [12, 14] && submissions[0].tasks == [0, 1, 2, 3, 5])
    }

    static func manifest() -> SweepManifest {
        SweepManifest(
            grids: ["lr=0.02,0.05"], metric: "test/acc@final",
            cells: [
                .init(indices: [0], label: "lr=0.02", runs: ["00-lr=0.02-s0"], controls: ["01-control-s0"]),
                .init(indices: [1], label: "lr=0.05", runs: ["02-lr=0.05-s0"], controls: []),
            ],
            tasks: [["00-lr=0.02-s0", "01-control-s0"], ["02-lr=0.05-s0"]], identity: "abc")
    }

    @Test("sweep.json round-trips; a corrupt one is refused naming the file and what is wrong")
    func manifestFile() throws {
        let directory = NSTemporaryDirectory() + "emergent-manifest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(try SweepManifest.load(directory: directory) == nil, "no sweep.json: not a sweep")
        try Self.manifest().write(to: directory)
        #expect(try SweepManifest.load(directory: directory) == Self.manifest())
        var submitted = Self.manifest()
        submitted.sbatchArguments = ["--mem=100M", "--account=abc"]
        submitted.maxRunning = 1
        try submitted.write(to: directory)
        #expect(try SweepManifest.load(directory: directory) == submitted, "the site options and the throttle are recorded")
        let recorded = try String(contentsOfFile: directory + "/sweep.json", encoding: .utf8)
        #expect(recorded.contains("\"--mem=100M\"") && recorded.contains("\"max_running\": 1"), "\(recorded)")
        try recorded.replacingOccurrences(of: "\"max_running\": 1", with: "\"max_running\": 0.5")
            .write(toFile: directory + "/sweep.json", atomically: true, encoding: .utf8)
        let refusal = #expect(throws: RunFolderError.self) { try SweepManifest.load(directory: directory) }
        #expect(refusal?.description.contains("'slurm.max_running' is not a whole number ≥ 1") == true)
        try Self.manifest().write(to: directory)
        let path = directory + "/sweep.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let corruptions = [
            (String(text.dropLast(5)), "line"),
            (text.replacingOccurrences(of: "\"metric\"", with: "\"metrics\""), "lacks 'metric' or 'cells'"),
            (text.replacingOccurrences(of: "\"lr=0.02,0.05\"", with: "\"vibes=1\""), "'vibes' is not a key"),
            (text.replacingOccurrences(of: "\"01-control-s0\"\n", with: "7\n"), "holds a number, not a string"),
        ]
        for (corrupt, expected) in corruptions {
            try corrupt.write(toFile: path, atomically: true, encoding: .utf8)
            let error = #expect(throws: RunFolderError.self, "accepted a corrupt sweep.json (\(expected))") {
                try SweepManifest.load(directory: directory)
            }
            #expect(
                error?.description.contains(path) == true && error?.description.contains(expected) == true,
                "\(error?.description ?? "nothing thrown")")
        }
    }

    @Test(
        "the status: done, diverged and failed from the folders and exit codes; queued and running from squeue; cancelled from scontrol"
    )
    func status() throws {
        let config = try EngineFixtures.experiment(#"{"init": "kaiming"}"#).runs[0]
        func run(_ events: [RunEvent]) -> RunSnapshot {
            var snapshot = RunSnapshot(id: 0, config: config, stepsPerEpoch: 10)
            snapshot.apply(.started(seed: 0))
            for event in events { snapshot.apply(event) }
            return snapshot
        }
        let done = run([.finished(step: 10)])
        let midway = run([
            .step(
                StepRecord(
                    step: 3, epoch: 0, loss: 1, accuracy: 0.5, learningRate: 0.1, gradientNorm: 1, samples: 128,
                    samplesPerSecond: 1, wallTime: 1))
        ])
        let manifest = Self.manifest()
        func status(
            _ runs: [String: RunSnapshot], queue: [Int: SlurmQueue.TaskState] = [:], exits: [Int: Int] = [:],
            ended: [Int: (state: String, exitCode: String?, log: String?)] = [:]
        ) -> SweepStatus {
            SweepStatus(
                manifest: manifest, runs: runs, queue: queue, exitCodes: exits, ended: ended,
                logPath: { "/logs/task-\($0).log" })
        }
        let allDone = status(["00-lr=0.02-s0": done, "01-control-s0": done, "02-lr=0.05-s0": done])
        #expect(allDone.cells.map(\.state) == [.done, .done] && allDone.tasksToSubmit.isEmpty)
        #expect(allDone.summary == "2 cells: 2 done, 0 running, 0 queued", "no zero count of a problem")
        #expect(allDone.exitCode == 0)
        let controlMissing = status(["00-lr=0.02-s0": done, "02-lr=0.05-s0": done])
        #expect(controlMissing.cells[0].state == .notStarted, "a cell is done only with its control")
        #expect(controlMissing.tasksToSubmit == [0])
        let diverged = status(["00-lr=0.02-s0": run([.diverged(step: 4, loss: .nan)]), "02-lr=0.05-s0": done])
        #expect(diverged.cells[0].state == .diverged && diverged.cells[0].note.contains("step 4"))
        #expect(diverged.tasksToSubmit == [0], "its control still has to run")
        #expect(diverged.exitCode == 1, "a control still to run, nothing queued: not done")
        #expect(status(["00-lr=0.02-s0": run([.diverged(step: 4, loss: .nan)]), "01-control-s0": done, "02-lr=0.05-s0": done]).exitCode == 0, "diverged is a result")
        let live = status(
            ["00-lr=0.02-s0": midway],
            queue: [
                0: .init(job: 5, task: 0, state: "RUNNING"),
                1: .init(job: 5, task: 1, state: "PENDING", reason: "Resources"),
            ])
        #expect(live.cells.map(\.state) == [.running, .queued] && live.cells[1].note == "waiting: Resources")
        #expect(live.tasksToSubmit.isEmpty, "nothing in the queue is submitted twice")
        #expect(live.exitCode == 3)
        let failed = status(["00-lr=0.02-s0": midway], exits: [0: 1], ended: [1: ("CANCELLED", "0:15", nil)])
        #expect(failed.cells[0].state == .failed && failed.cells[0].note == "task 0 exited 1; log: /logs/task-0.log")
        #expect(failed.cells[1].state == .cancelled && failed.cells[1].note.contains("task 1 was cancelled"))
        #expect(failed.tasksToSubmit == [0, 1])
        #expect(failed.summary == "2 cells: 0 done, 0 running, 0 queued, 1 failed, 1 cancelled")
        #expect(failed.exitCode == 1)
        // The script outlived emergent and wrote 143 (SIGTERM): cancelled when Slurm says so,
        // failed with the code when it does not.
        let terminated = status(["00-lr=0.02-s0": midway], exits: [0: 143], ended: [0: ("CANCELLED", "0:15", nil)])
        #expect(terminated.cells[0].state == .cancelled && terminated.cells[0].note.contains("task 0 was cancelled"))
        let killed = status(["00-lr=0.02-s0": midway], exits: [0: 137])
        #expect(killed.cells[0].state == .failed && killed.cells[0].note.hasPrefix("task 0 exited 137"))
        // Cancelled before it started: no log was ever written, and the note says so.
        let unstarted = SweepStatus(
            manifest: manifest, runs: [:], queue: [:], exitCodes: [:], ended: [1: ("CANCELLED", "0:0", nil)],
            logPath: { "/logs/task-\($0).log" }, logExists: { _ in false })
        #expect(unstarted.cells[1].note == "task 1 was cancelled before it started")
        // A cell of two tasks, one running and one cancelled: the cell runs, and the cancelled
        // task is counted; a task that requeued itself and waits says so, and counts as going.
        let split = SweepManifest(
            grids: manifest.grids, metric: manifest.metric, cells: manifest.cells,
            tasks: [["00-lr=0.02-s0"], ["01-control-s0"], ["02-lr=0.05-s0"]], identity: "abc")
        let mixed = SweepStatus(
            manifest: split, runs: ["00-lr=0.02-s0": midway],
            queue: [0: .init(job: 5, task: 0, state: "RUNNING"), 2: .init(job: 5, task: 2, state: "PENDING", reason: "BeginTime")],
            exitCodes: [:], ended: [1: ("CANCELLED", "0:15", nil)], logPath: { "/logs/task-\($0).log" },
            requeues: [2: 2], logExists: { _ in true })
        #expect(mixed.cells[0].state == .running && mixed.cells[0].note == "task 1 was cancelled; log: /logs/task-1.log; submit again to run it")
        #expect(mixed.cells[1].state == .requeued && mixed.cells[1].note == "requeued 2 times at its time limit; waiting: BeginTime")
        #expect(mixed.summary == "2 cells: 0 done, 1 running, 0 queued, 1 requeued; 1 task cancelled in cells still going")
        #expect(mixed.exitCode == 3)
        let stopped = status(["00-lr=0.02-s0": midway, "02-lr=0.05-s0": done])
        #expect(stopped.cells[0].state == .incomplete && stopped.cells[0].note.contains("submit again"))
        #expect(stopped.text.split(separator: "\n").first?.hasPrefix("cell     state") == true)
    }
}
