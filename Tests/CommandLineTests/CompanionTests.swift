import Foundation
import Testing

@testable import EmergentCore

/// The PyTorch companion (python/emergent_torch.py) against Emergent: the module it builds from
/// a weights file computes Emergent's outputs, and weights initialized in torch and saved by it
/// read back in Emergent with torch's per-layer RMS.
@Suite(
    "The PyTorch companion",
    .enabled(
        if: EmergentProcess.pythonImports("safetensors") && EmergentProcess.pythonImports("torch"),
        "needs python3 with safetensors and torch (pip install safetensors 'torch==2.13.0+cpu'); CI installs them"))
struct CompanionTests {
    static func python(_ arguments: [String]) throws -> String {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scripts/companion_check.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(problem)")
        return text
    }

    static func folder() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-companion-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The largest difference between Emergent's outputs and the companion's module's for the
    /// same weights file and batch, relative to Emergent's largest output.
    /// `evaluation`: Emergent's evaluation pass with the file's BatchNorm running statistics
    /// against PyTorch's eval(); otherwise probe passes (batch statistics) against train().
    static func disagreement(weights: String, in root: String, evaluation: Bool = false) throws -> Double {
        let file = try SafetensorsFile.read(path: weights)
        let architecture = try WeightsLoader.architecture(of: file, path: weights)
        var generator = SeededRandom(seed: 3)
        let ours: [Float]
        let batch: SafetensorsFile
        if architecture.isTransformer {
            let vocabulary = try #require(file.tensor(named: "src_emb.weight")).shape[0]
            let model = architecture.makeTransformer(vocabulary: vocabulary)
            try WeightsLoader.load(file, into: model.store, path: weights)
            // Row 1's source ends in padding and row 2's is all padding (its queries see no key).
            var source: [Int32] = (0..<21).map { _ in Int32(3 + generator.next() % UInt64(vocabulary - 3)) }
            source[12] = 0
            source[13] = 0
            for index in 14..<21 { source[index] = 0 }
            let target: [Int32] = (0..<15).map { $0 % 5 == 0 ? 1 : Int32(3 + generator.next() % UInt64(vocabulary - 3)) }
            ours = model.forward(
                source: TokenBatch(tokens: source, batch: 3, length: 7),
                targetInput: TokenBatch(tokens: target, batch: 3, length: 5), mode: .probe
            ).scalars
            batch = SafetensorsFile(tensors: [
                .init(name: "source", shape: [3, 7], values: source.map(Float.init)),
                .init(name: "target", shape: [3, 5], values: target.map(Float.init)),
            ])
        } else {
            let model = architecture.makeClassifier(inputShape: [1, 28, 28], classes: 10)
            try WeightsLoader.load(file, into: model.store, statefulLayers: model.statefulLayers, path: weights)
            let input = Tensor(shape: [5, 1, 28, 28], scalars: (0..<(5 * 784)).map { _ in Float(generator.normal()) })
            ours = model.forward(input, mode: evaluation ? .evaluation : .probe).scalars
            batch = SafetensorsFile(tensors: [.init(name: "input", shape: input.shape, values: input.scalars)])
        }
        try batch.write(to: root + "/batch.safetensors")
        let theirs = try JSONDecoder().decode(
            [Double].self,
            from: Data(try python(["forward", weights, root + "/batch.safetensors"] + (evaluation ? ["eval"] : [])).utf8))
        try #require(theirs.count == ours.count)
        let scale = ours.map { abs(Double($0)) }.max() ?? 1
        return zip(ours, theirs).map { abs(Double($0) - $1) / scale }.max() ?? 0
    }

    static let mlp = ["--model", "mlp", "--widths", "48,32", "--activation", "tanh"]
    static let transformer = ["--model", "transformer", "--width", "32", "--heads", "4", "--layers", "2", "--feed-forward", "64"]

    @Test(
        "the module load() builds gives Emergent's outputs within 1e-4 of the largest, for each model and three inits (one learned)",
        arguments: [
            (mlp, "kaiming"), (mlp, "emergence:alpha=1.2"), (mlp, "lsuv"),
            (["--model", "mlp", "--widths", "32,32", "--batch-norm", "--residual", "--activation", "gelu"], "kaiming"),
            (["--model", "cnn"], "kaiming"), (["--model", "cnn"], "emergence:alpha=1.2"), (["--model", "cnn"], "lsuv"),
            (["--model", "cnn", "--batch-norm", "--residual", "--activation", "leaky_relu"], "orthogonal"),
            (transformer, "xavier"), (transformer, "emergence:alpha=1.2"), (transformer, "metainit:iterations=5"),
            (transformer + ["--post-norm"], "xavier"),
        ])
    func sameOutputs(_ model: [String], _ scheme: String) throws {
        let root = try Self.folder()
        let made = try EmergentProcess.run(["initialize"] + model + ["--init", scheme, "--out", root + "/w.safetensors"])
        try #require(made.status == 0, "\(made.standardError)")
        let worst = try Self.disagreement(weights: root + "/w.safetensors", in: root)
        #expect(worst < 1e-4, "\(model.joined(separator: " ")) \(scheme): largest difference \(worst) of the largest output")
        print("companion agreement, \(model.joined(separator: " ")) \(scheme): \(worst)")
    }

    @Test("the transformer with a tied output, learned positions and GELU: the companion's outputs are Emergent's")
    func tiedTransformer() throws {
        let root = try Self.folder()
        var settings = ModelConfig.TransformerSettings()
        (settings.width, settings.heads, settings.encoderLayers, settings.decoderLayers, settings.feedForward) = (16, 2, 1, 2, 24)
        (settings.tiedOutput, settings.positions, settings.activation, settings.maximumLength) = (true, .learned, .gelu, 12)
        let architecture = ModelConfig.transformer(settings)
        let model = architecture.makeTransformer(vocabulary: 20)
        var generator = SeededRandom(seed: 8)
        let spec = try InitializerSpec(parsing: "xavier")
        let report = try spec.apply(to: model, using: &generator)
        // Biases and norms drawn too, so a bias or gain read in the wrong place shows.
        for view in model.store.views where view.shape.count == 1 {
            for index in 0..<view.count { model.store.value(view)[index] = Float(generator.normal()) * 0.3 + (view.name.hasSuffix("ln1.weight") ? 1 : 0) }
        }
        try InitializedWeights.file(
            store: model.store, architecture: architecture, initializer: spec, seed: 8, dataset: "de-en-numbers", report: report
        ).write(to: root + "/w.safetensors")
        let worst = try Self.disagreement(weights: root + "/w.safetensors", in: root)
        #expect(worst < 1e-4, "largest difference \(worst) of the largest output")
        print("companion agreement, tied transformer with learned positions: \(worst)")
    }

    @Test(
        "a trained BatchNorm model exported with export --weights: PyTorch's eval() gives Emergent's evaluation outputs, the running statistics travelling in the file",
        arguments: [
            #"{"kind": "mlp", "widths": [32, 32], "batch_norm": true}"#,
            #"{"kind": "cnn", "stages": [[6], [8]], "head": [16], "batch_norm": true}"#,
        ])
    func trainedBatchNorm(_ model: String) throws {
        let root = try Self.folder()
        let experiment = root + "/bn.json"
        try #"{"model": \#(model), "epochs": 1, "epoch_size": 512, "runs": [{"init": "kaiming"}]}"#
            .write(toFile: experiment, atomically: true, encoding: .utf8)
        let trained = try EmergentProcess.run(["run", experiment, "--runs-dir", root + "/runs"])
        try #require(trained.status == 0, "\(trained.standardError)")
        let folder = try #require(try FileManager.default.contentsOfDirectory(atPath: root + "/runs").first)
        let run = try #require(try RunFolderReader.runFolderPaths(at: root + "/runs/" + folder).first)
        let exported = try EmergentProcess.run(["export", run, "--weights", "--out", root + "/w"])
        try #require(exported.status == 0, "\(exported.standardError)")
        let path = try #require(try FileManager.default.contentsOfDirectory(atPath: root + "/w").first.map { root + "/w/" + $0 })
        let means = try #require(try SafetensorsFile.read(path: path).tensor(named: "bn1.running_mean"))
        #expect(means.values.contains { $0 != 0 }, "a trained run's statistics are not the defaults")
        let worst = try Self.disagreement(weights: path, in: root, evaluation: true)
        #expect(worst < 1e-4, "\(model): largest difference \(worst) of the largest output")
        print("companion agreement, trained \(model) in eval(): \(worst)")
    }

    @Test("a PyTorch training loop started from an exported emergence init trains: 20 SGD steps on the embedded images lower the loss and beat chance on the test set")
    func torchTrains() throws {
        let root = try Self.folder()
        let made = try EmergentProcess.run(
            ["initialize", "--init", "emergence:alpha=1.2", "--seed", "0", "--out", root + "/e.safetensors"])
        try #require(made.status == 0, "\(made.standardError)")
        let data = try #require(EmbeddedData.dataDirectory.map { ($0 as NSString).appendingPathComponent(EmbeddedData.folderName) })
        let trained = try JSONDecoder().decode(
            [String: Double].self, from: Data(try Self.python(["train", root + "/e.safetensors", data, "20"]).utf8))
        let before = try #require(trained["before"]), after = try #require(trained["after"])
        #expect(trained["steps"] == 20)
        #expect(after < 0.6 * before, "loss on the first 1,024 images: \(before) before, \(after) after 20 steps")
        #expect(try #require(trained["test_accuracy"]) > 0.3, "test accuracy \(trained["test_accuracy"] ?? 0) after 20 steps")
    }

    /// log10 E of `measure --json`'s output (its first model).
    static func log10E(_ arguments: [String]) throws -> [Double] {
        let measured = try EmergentProcess.run(["measure", "--json"] + arguments)
        try #require(measured.status == 0, "\(measured.standardError)")
        let models = try #require(try JSONSerialization.jsonObject(with: Data(measured.standardOutput.utf8)) as? [[String: Any]])
        return try models.map { try #require(($0["measurement"] as? [String: Any])?["log10_e"] as? Double) }
    }

    static let seeds = 8

    @Test(
        "weights initialized in torch and saved by the companion: Emergent reads torch's per-layer RMS, and log10 E within sampling noise of its own init of that kind",
        arguments: [("kaiming", "kaiming"), ("xavier", "xavier"), ("orthogonal", "orthogonal:gain=1")])
    func torchInits(_ scheme: String, _ ours: String) throws {
        let root = try Self.folder()
        let rms = try JSONDecoder().decode(
            [String: [String: Double]].self,
            from: Data(try Self.python(["init", scheme, root + "/t", String(Self.seeds)]).utf8))
        #expect(rms.count == Self.seeds)
        var theirs: [Double] = []
        for seed in 0..<Self.seeds {
            let path = root + "/t-\(seed).safetensors"
            let file = try SafetensorsFile.read(path: path)
            let layers = try #require(rms[path])
            #expect(layers.count == 3)
            for (layer, expected) in layers {
                let values = try #require(file.tensor(named: layer + ".weight")).values.map(Double.init)
                let read = (values.map { $0 * $0 }.reduce(0, +) / Double(values.count)).squareRoot()
                #expect(abs(read - expected) <= 1e-6 * expected, "\(layer): \(read) against torch's \(expected)")
            }
            // The file's seed k: the probe Emergent's own init of seed k is measured on.
            theirs += try Self.log10E(["--weights", path])
        }
        var own: [Double] = []
        for seed in 0..<Self.seeds {
            own += try Self.log10E(["--widths", "64,64", "--init", ours, "--seed", String(seed)])
        }
        // Welch: the difference of the means against its standard error over the seeds.
        func meanAndVariance(_ x: [Double]) -> (Double, Double) {
            let mean = x.reduce(0, +) / Double(x.count)
            return (mean, x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count - 1))
        }
        let (a, va) = meanAndVariance(theirs), (b, vb) = meanAndVariance(own)
        let error = ((va + vb) / Double(Self.seeds)).squareRoot()
        #expect(abs(a - b) <= 4 * error + 0.01, "torch \(scheme) log10 E \(a) ± \(va.squareRoot()), emergent \(ours) \(b) ± \(vb.squareRoot())")
        print("companion log10 E: torch \(scheme) \(a) ± \(va.squareRoot()); emergent \(ours) \(b) ± \(vb.squareRoot()); |Δ| \(abs(a - b)), standard error \(error)")
    }
}
