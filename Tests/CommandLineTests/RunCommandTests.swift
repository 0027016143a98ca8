import Foundation
import Kernels
import Testing

@Suite("emergent run and bench runs, run as a process")
struct RunCommandTests {
    static let small = ["--epochs", "1", "--epoch-size", "512", "--set", "model.widths=[16]"]

    @Test("run default trains the four runs side by side: progress on stderr, the table on stdout")
    func runDefault() throws {
        let result = try EmergentProcess.run(["run", "default"] + Self.small)
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(
            lines.first
                == "default on fashion-mnist-small: test/acc in %, mean ± std over seeds; p: Welch's t-test of the final values against kaiming"
        )
        #expect(lines[1].hasPrefix("run ") && lines[1].contains("first epoch") && lines[1].contains("diverged"))
        #expect(lines[1].contains("steps to 80%") && lines[1].contains(" p "))
        #expect(
            lines.dropFirst(2).map { String($0.prefix(19)).trimmingCharacters(in: .whitespaces) }
                == ["kaiming", "xavier", "emergence:alpha=1.2", "fractional:s=0.8"])
        #expect(result.standardError.contains("default: 4 runs on"))
        #expect(
            result.standardError.components(separatedBy: "done after 4 steps").count == 5,
            "stderr: \(result.standardError)")
    }

    @Test("run --json gives the summary for machines, with mean and std per group")
    func runJSON() throws {
        let result = try EmergentProcess.run(["run", "seeds", "--json", "--epochs", "1", "--epoch-size", "256"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let groups = try #require(document["groups"] as? [[String: Any]])
        #expect(groups.count == 2 && (groups[0]["seeds"] as? [Int]) == [0, 1, 2])
        let final = try #require(groups[0]["final"] as? [String: Any])
        let values = try #require(final["values"] as? [Double])
        let mean = values.reduce(0, +) / 3
        #expect(abs((final["mean"] as? Double ?? -1) - mean) < 1e-12)
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
        #expect(abs((final["std"] as? Double ?? -1) - std) < 1e-12)
        #expect((document["runs"] as? [Any])?.count == 6)
    }

    @Test("a diverging run shows its step in the table; the others finish")
    func divergedInTable() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("emergent-diverge-\(getpid()).json")
        try Data(
            #"{"model": {"widths": [64, 64], "activation": "linear"}, "epochs": 1, "epoch_size": 1024, "runs": [{"init": "kaiming"}, {"init": "kaiming", "label": "hot", "optimizer": {"lr": 100}}]}"#
                .utf8
        ).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try EmergentProcess.run(["run", file.path])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let hot = try #require(result.standardOutput.split(separator: "\n").first { $0.hasPrefix("hot ") })
        #expect(hot.hasSuffix("step 4"), "\(hot)")
        #expect(result.standardOutput.split(separator: "\n").contains { $0.hasPrefix("kaiming ") && $0.hasSuffix("—") })
        #expect(result.standardOutput.split(separator: "\n").contains { $0.hasPrefix("kaiming ") && $0.hasSuffix("—") })
    }

    @Test(
        "bad experiments and flags are one-line errors naming the file, key and range",
        arguments: [
            (["run", "nonexistent"], "no experiment 'nonexistent'"),
            (
                ["run", "default", "--epochs", "0"],
                "on the command line: epochs: 0 is out of range; it must be in 1...1000"
            ),
            (["run", "default", "--set", "colour=red"], "--set: 'colour' is not an experiment key"),
            (["run", "default", "--set", "optimizer.lr=-2"], "--set optimizer.lr: -2 is out of range"),
            (["run", "default", "--workers", "0"], "workers: 0 is out of range; it must be in 1...256"),
            (["run", "default", "--dataset", "de-en-numbers"], "'de-en-numbers' is a translation set"),
            (["run", "default", "--data-dir", "/nonexistent"], "--data-dir: '/nonexistent' is not a directory"),
            (["bench", "runs", "--window-seconds", "0"], "--window-seconds 0.0 is out of range"),
        ])
    func badInput(arguments: [String], expected: String) throws {
        try EmergentProcess.expectOneLineError(arguments, expected)
    }

    @Test("a malformed experiment file is refused with its line and column, and nothing starts")
    func malformedFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("emergent-bad-\(getpid()).json")
        try Data("{\n  \"runs\": [{\"init\": \"kaiming\"}]\n  \"epochs\": 2\n}".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try EmergentProcess.run(["run", file.path])
        #expect(result.status != 0)
        #expect(result.standardError == "emergent: \(file.path): line 3, column 3: expected ',' or '}' in an object\n")
        #expect(result.standardOutput.isEmpty)
    }

    @Test("bench runs --json reports the lone and shared rates, their ratio, the spread and memory")
    func benchRuns() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("emergent-bench-\(getpid()).json")
        try Data(#"{"model": {"widths": [16]}, "runs": [{"init": "kaiming"}, {"init": "xavier"}]}"#.utf8).write(
            to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try EmergentProcess.run([
            "bench", "runs", file.path, "--window-seconds", "0.5", "--rounds", "1", "--json",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let alone = try #require(document["alone_samples_per_s"] as? [Double])
        let together = try #require(document["together_samples_per_s"] as? Double)
        let ratio = try #require(document["ratio"] as? Double)
        #expect(alone.count == 2 && alone.allSatisfy { $0 > 0 } && together > 0)
        #expect(abs(ratio - together / (2.0 / 2.0 * alone.reduce(0, +))) < 1e-9)
        #expect((document["round_ratios"] as? [Double])?.count == 1)
        #expect((document["resident_bytes"] as? Double ?? 0) > 0)
        #expect(document["largest_slice_spread"] is Double)
        let machine = try #require(document["machine"] as? [String: Any])
        #expect(machine["cpu"] as? String == CPUInfo.current.modelName)
        #expect((machine["level2_kib"] as? Double ?? 0) > 0)
    }
}
