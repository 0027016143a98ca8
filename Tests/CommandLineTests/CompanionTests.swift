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

    @Test("the module load() builds gives Emergent's MLP outputs within 1e-4 relative, for three inits (one learned)", arguments: ["kaiming", "emergence:alpha=1.2", "lsuv"])
    func sameOutputs(_ scheme: String) throws {
        let root = try Self.folder()
        let made = try EmergentProcess.run(
            ["initialize", "--model", "mlp", "--widths", "48,32", "--activation", "tanh", "--init", scheme, "--out", root + "/w.safetensors"])
        try #require(made.status == 0, "\(made.standardError)")
        let file = try SafetensorsFile.read(path: root + "/w.safetensors")
        let architecture = try WeightsLoader.architecture(of: file, path: "w.safetensors")
        let model = architecture.makeClassifier(inputShape: [1, 28, 28], classes: 10)
        try WeightsLoader.load(file, into: model.store, path: "w.safetensors")
        var generator = SeededRandom(seed: 3)
        let input = Tensor(shape: [5, 1, 28, 28], scalars: (0..<(5 * 784)).map { _ in Float(generator.normal()) })
        let ours = model.forward(input, mode: .probe).scalars
        try SafetensorsFile(tensors: [.init(name: "input", shape: input.shape, values: input.scalars)])
            .write(to: root + "/batch.safetensors")
        let rows = try JSONDecoder().decode(
            [[Double]].self, from: Data(try Self.python(["forward", root + "/w.safetensors", root + "/batch.safetensors"]).utf8))
        let theirs = rows.flatMap { $0 }
        try #require(theirs.count == ours.count)
        let scale = ours.map { abs(Double($0)) }.max() ?? 1
        let worst = zip(ours, theirs).map { abs(Double($0) - $1) / scale }.max() ?? 0
        #expect(worst < 1e-4, "\(scheme): largest difference \(worst) of the largest output")
    }

    @Test("weights initialized in torch and saved by the companion: Emergent reads them with torch's per-layer RMS", arguments: ["kaiming", "xavier", "orthogonal"])
    func torchInits(_ scheme: String) throws {
        let root = try Self.folder()
        let rms = try JSONDecoder().decode(
            [String: Double].self, from: Data(try Self.python(["init", scheme, root + "/t.safetensors"]).utf8))
        let file = try SafetensorsFile.read(path: root + "/t.safetensors")
        let model = try WeightsLoader.architecture(of: file, path: "t.safetensors").makeClassifier(inputShape: [1, 28, 28], classes: 10)
        try WeightsLoader.load(file, into: model.store, path: "t.safetensors")
        #expect(rms.count == 3)
        for (layer, expected) in rms {
            let values = try #require(file.tensor(named: layer + ".weight")).values.map(Double.init)
            let ours = (values.map { $0 * $0 }.reduce(0, +) / Double(values.count)).squareRoot()
            #expect(abs(ours - expected) <= 1e-6 * expected, "\(layer): \(ours) against torch's \(expected)")
        }
        let measured = try EmergentProcess.run(["measure", "--weights", root + "/t.safetensors"])
        #expect(measured.status == 0 && measured.standardOutput.hasPrefix("weights t.safetensors: step-0 loss"), "\(measured.standardError)")
    }
}
