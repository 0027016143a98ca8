import Foundation
import Testing

@testable import EmergentCore

/// `emergent initialize`: the file holds the model `measure` measures, named and described so
/// it can be rebuilt; bad flags and paths are refused before anything is written.
@Suite("emergent initialize")
struct InitializeCommandTests {
    static func folder() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-initialize-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("an MLP's file: every parameter under its dotted path, the metadata's architecture and layers true to the tensors, the table measure prints")
    func mlp() throws {
        let path = try Self.folder() + "/mlp.safetensors"
        let flags = ["--model", "mlp", "--widths", "32,16", "--init", "emergence:alpha=1.2", "--seed", "4"]
        let made = try EmergentProcess.run(["initialize"] + flags + ["--out", path])
        #expect(made.status == 0, "\(made.standardError)")
        let file = try SafetensorsFile.read(path: path)
        #expect(file.tensors.map(\.name) == ["dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias", "dense3.weight", "dense3.bias"])
        #expect(file.tensors.map(\.shape) == [[32, 784], [32], [16, 32], [16], [10, 16], [10]])
        #expect(made.standardOutput.hasSuffix("wrote \(path): 6 tensors, 25818 parameters\n"))
        let architecture = try ModelConfig(parsing: try JSONParser.parse(try #require(file.metadata["architecture"])))
        #expect(architecture == .mlp(hidden: [32, 16], activation: .relu, batchNorm: false, bias: true, residual: false, dropout: 0))
        #expect(file.metadata["init"] == "emergence:alpha=1.2" && file.metadata["seed"] == "4")
        #expect(file.metadata["format"] == "emergent-weights" && file.metadata["format_version"] == "1")
        // Each layer's recorded σ is its tensor's, and the scales are α^(l - 2) of the emergence scheme.
        guard case let .array(layers) = try JSONParser.parse(try #require(file.metadata["layers"])) else {
            Issue.record("layers is not a list")
            return
        }
        #expect(layers.count == 3)
        for (index, layer) in layers.enumerated() {
            let weights = try #require(file.tensor(named: "dense\(index + 1).weight")).values.map(Double.init)
            let mean = weights.reduce(0, +) / Double(weights.count)
            let std = (weights.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(weights.count)).squareRoot()
            let recorded = try #require(layer["std"]?.numberValue)
            #expect(abs(recorded - std) <= 1e-5 * std, "dense\(index + 1): \(recorded) against \(std)")
            #expect(abs((layer["scale"]?.numberValue ?? 0) - pow(1.2, Double(index - 1))) < 1e-12)
        }
        // The same model measure measures: its table is the one printed.
        let measured = try EmergentProcess.run(["measure"] + flags)
        #expect(measured.status == 0 && made.standardOutput.hasPrefix(measured.standardOutput.trimmingCharacters(in: .newlines)))
    }

    @Test("measure --weights reads the file back: the model its metadata names, on the probe of its seed, measures as the init that made it (the scale column aside); bad input is refused naming the file")
    func measureWeights() throws {
        let root = try Self.folder()
        let flags = ["--model", "mlp", "--widths", "24,24", "--init", "orthogonal", "--seed", "2"]
        #expect(try EmergentProcess.run(["initialize"] + flags + ["--out", root + "/w.safetensors"]).status == 0)
        let original = try EmergentProcess.run(["measure"] + flags)
        let read = try EmergentProcess.run(["measure", "--weights", root + "/w.safetensors"])
        #expect(read.status == 0, "\(read.standardError)")
        /// The table without the initializer's name and the scale column.
        func figures(_ text: String) -> [String] {
            text.split(separator: "\n").enumerated().map { index, line in
                let words = line.split(separator: " ")
                return index == 0
                    ? words.drop { !$0.hasPrefix("step-0") }.joined(separator: " ")
                    : words.enumerated().filter { $0.offset != 2 }.map(\.element).joined(separator: " ")
            }
        }
        #expect(read.standardOutput.hasPrefix("weights w.safetensors: step-0 loss"))
        #expect(figures(read.standardOutput) == figures(original.standardOutput), "\(read.standardOutput)\n\(original.standardOutput)")
        try EmergentProcess.expectOneLineError(
            ["measure", "--weights", root + "/w.safetensors", "--init", "kaiming"],
            "--weights measures the file's own model and parameters; drop --init")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: root + "/cut.safetensors"))
        try EmergentProcess.expectOneLineError(
            ["measure", "--weights", root + "/cut.safetensors"], "\(root)/cut.safetensors: is 3 bytes long")
    }

    @Test("a transformer's and a CNN's files name every parameter of the model")
    func otherModels() throws {
        let root = try Self.folder()
        let transformer = try EmergentProcess.run(
            ["initialize", "--model", "transformer", "--width", "16", "--heads", "2", "--layers", "1", "--feed-forward", "32",
             "--init", "xavier", "--out", root + "/t.safetensors"])
        #expect(transformer.status == 0, "\(transformer.standardError)")
        let file = try SafetensorsFile.read(path: root + "/t.safetensors")
        #expect(file.tensors.contains { $0.name == "enc1.attn.q.weight" && $0.shape == [16, 16] })
        let architecture = try ModelConfig(parsing: try JSONParser.parse(try #require(file.metadata["architecture"])))
        guard case let .transformer(settings) = architecture else {
            Issue.record("\(architecture) is not a transformer")
            return
        }
        #expect(settings.width == 16 && settings.heads == 2 && settings.encoderLayers == 1 && settings.feedForward == 32)
        let cnn = try EmergentProcess.run(["initialize", "--model", "cnn", "--init", "kaiming", "--out", root + "/c.safetensors"])
        #expect(cnn.status == 0, "\(cnn.standardError)")
        #expect(try SafetensorsFile.read(path: root + "/c.safetensors").tensors.count >= 8)
    }

    @Test("bad input: an --out that is not .safetensors, a folder that does not exist, an unknown init; nothing is written")
    func badInput() throws {
        let root = try Self.folder()
        try EmergentProcess.expectOneLineError(
            ["initialize", "--init", "kaiming", "--out", root + "/w.pt"], "--out '\(root)/w.pt' must name a .safetensors file")
        try EmergentProcess.expectOneLineError(
            ["initialize", "--init", "kaiming", "--out", root + "/no/w.safetensors"], "\(root)/no/w.safetensors")
        try EmergentProcess.expectOneLineError(
            ["initialize", "--init", "kaimingg", "--out", root + "/w.safetensors"], "kaimingg")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }
}
