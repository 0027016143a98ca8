import Foundation
import Kernels
import Testing

@Suite("emergent train and bench train, run as a process")
struct TrainCommandTests {
    @Test("a small MLP trains one epoch on the embedded subset and beats chance by far")
    func trainsSmallMLP() throws {
        let result = try EmergentProcess.run(["train", "--widths", "32", "--epochs", "1"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let line = try #require(result.standardOutput.split(separator: "\n").first { $0.hasPrefix("epoch 1") })
        let accuracy = try #require(
            line.split(separator: " ").firstIndex(of: "acc").map { line.split(separator: " ")[$0 + 1] })
        #expect((Double(accuracy) ?? 0) > 70, "line: \(line)")
    }

    @Test(
        "bad training arguments are one-line errors",
        arguments: [
            (["train", "--epochs", "0"], "1...1000"),
            (["train", "--widths", "32,x"], "'x' is not a width"),
            (["train", "--activation", "swish"], "relu, leaky_relu"),
            (["train", "--model", "rnn"], "'mlp'"),
            (["train", "--dataset", "imagenet"], "--dataset: 'imagenet' is not one of"),
            (["train", "--dataset", "de-en-numbers"], "translation set"),
            (["train", "--learning-rate=-1"], "--learning-rate: -1 is out of range"),
            (["train", "--model", "cnn", "--widths", "8,8"], "--widths is an MLP option"),
            (["train", "--widths", "16,,16"], "'' is not a width"),
            (["train", "--widths", ""], "'' is not a width"),
            (["train", "--data-dir", "/nonexistent"], "--data-dir: '/nonexistent' is not a directory"),
            (["bench", "train", "--models", "lstm"], "unknown model 'lstm'"),
            (["train", "--init", "fixup"], "Fixup needs residual branches"),
            (["train", "--init", "emergence:alpha=0"], "0.01...100"),
        ])
    func badArguments(arguments: [String], expected: String) throws {
        try EmergentProcess.expectOneLineError(arguments, expected)
    }

    @Test(
        "bench train --json reports each model's rate and the machine, on each kernel family this CPU runs",
        arguments: InstructionSet.supported)
    func benchJSON(kernel: InstructionSet) throws {
        let result = try EmergentProcess.run([
            "bench", "train", "--models", "mlp", "--windows", "1", "--window-seconds", "0.01", "--json",
            "--kernel", kernel.rawValue,
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        struct Document: Decodable {
            struct Machine: Decodable { let cpu: String, instruction_set: String, level2_kib: Int }
            let machine: Machine
            let models: [String: [String: Double]]
        }
        let document = try JSONDecoder().decode(Document.self, from: Data(result.standardOutput.utf8))
        #expect((document.models["mlp"]?["samples_per_s"] ?? 0) > 0)
        #expect(document.machine.instruction_set == kernel.rawValue)
        #expect(document.machine.cpu == CPUInfo.current.modelName && document.machine.level2_kib > 0)
    }

    static let torchAvailable = EmergentProcess.pythonImports("torch")

    /// The real reference, window for window beside ours: every window pair gives a ratio,
    /// and the reported one is their median, between the lowest and the highest.
    @Test(
        "bench train --compare alternates windows with PyTorch and reports the median pair ratio and its range",
        .enabled(if: torchAvailable, "needs python3 with torch (pip install 'torch==2.13.0+cpu'); CI installs it"))
    func compareWithPyTorch() throws {
        let result = try EmergentProcess.run([
            "bench", "train", "--models", "mlp", "--windows", "3", "--window-seconds", "0.05", "--compare", "--json",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        struct Document: Decodable { let models: [String: [String: Double]] }
        let row = try #require(
            try JSONDecoder().decode(Document.self, from: Data(result.standardOutput.utf8)).models["mlp"])
        let ratio = try #require(row["ratio"]), low = try #require(row["ratio_min"]),
            high = try #require(row["ratio_max"])
        #expect(try #require(row["pytorch_samples_per_s"]) > 0)
        #expect(low > 0 && low <= ratio && ratio <= high)
    }

    /// A reference that dies (here one that exits at once) is an error naming what to
    /// install, not a crash on the broken pipe.
    @Test("bench train --compare with a reference that fails says so on one line")
    func failingReference() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("failing-reference-\(getpid()).py")
        try "import sys\nsys.exit(3)\n".write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        try EmergentProcess.expectOneLineError(
            [
                "bench", "train", "--models", "mlp", "--windows", "1", "--window-seconds", "0.01", "--compare",
                "--reference-script", script.path,
            ],
            "the PyTorch reference failed")
    }

    @Test("bench emergence --json reports step and measurement times and the share at the cadence")
    func emergenceJSON() throws {
        let result = try EmergentProcess.run([
            "bench", "emergence", "--models", "mlp", "--windows", "1", "--window-seconds", "0.01",
            "--cadence", "50", "--json",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let document =
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: [String: Double]]
        let row = try #require(document?["mlp"])
        let step = try #require(row["step_ms"]), measurement = try #require(row["measurement_ms"]),
            share = try #require(row["share"])
        #expect(step > 0 && measurement > 0)
        #expect(abs(share - measurement / (measurement + 50 * step)) < 1e-9)
    }

    @Test("inits lists every scheme with its parameters, and --json parses")
    func inits() throws {
        let table = try EmergentProcess.run(["inits"])
        #expect(table.status == 0)
        for name in [
            "kaiming", "xavier", "default", "orthogonal", "zero", "fractional", "emergence", "lsuv", "fixup", "tfixup",
            "gradinit", "nio", "metainit", "updater", "weights",
        ] {
            #expect(
                table.standardOutput.contains("\n\(name) ") || table.standardOutput.hasPrefix("\(name) "),
                "\(name) missing")
        }
        #expect(table.standardOutput.contains("alpha=1.2") && table.standardOutput.contains("0.1...2.0"))
        let json = try EmergentProcess.run(["inits", "--json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]]
        #expect(document?.count == 15)
        let iterations = (document?.first { $0["name"] as? String == "gradinit" }?["parameters"] as? [[String: Any]])?
            .first { $0["name"] as? String == "iterations" }
        #expect(iterations?["integer"] as? Bool == true && iterations?["range"] as? [Double] == [1, 10_000])
    }

    @Test("train accepts any scheme, data-driven and learned ones included")
    func trainWithDataDrivenSchemes() throws {
        let lsuv = try EmergentProcess.run(["train", "--widths", "16", "--epochs", "1", "--init", "lsuv"])
        #expect(lsuv.status == 0, "stderr: \(lsuv.standardError)")
        #expect(lsuv.standardOutput.contains("lsuv: ") && lsuv.standardOutput.contains(" probe passes in "))
        let gradinit = try EmergentProcess.run([
            "train", "--widths", "16", "--epochs", "1", "--init", "gradinit:iterations=5,batch=16",
        ])
        #expect(gradinit.status == 0, "stderr: \(gradinit.standardError)")
        #expect(gradinit.standardOutput.contains("gradient evaluations"))
        // 5 warm-up steps measure the bonus once: ln E, then ± for each of 3 layers = 7 probe passes.
        let updater = try EmergentProcess.run([
            "train", "--widths", "16,16", "--epochs", "1", "--init", "updater:warmup=5,bonus=0.5",
        ])
        #expect(updater.status == 0, "stderr: \(updater.standardError)")
        #expect(
            updater.standardOutput.contains("updater: h (37 parameters) frozen after 5 steps, ")
                && updater.standardOutput.contains(" s of its own, 7 probe passes; scales dense1 "))
    }
}
