import Foundation
import Testing

@testable import EmergentCore

/// A run that starts from a weights file: an experiment entry's "weights" (and `--weights`)
/// becomes a run whose parameters are the file's, and a file that cannot start the run is
/// refused when the experiment is read, naming the entry and the file.
@Suite("Runs started from a weights file")
struct WeightsStartTests {
    static let model = ModelConfig.mlp(hidden: [12, 8], activation: .tanh, batchNorm: false, bias: true, residual: false, dropout: 0)

    /// A folder holding `w.safetensors`: the MLP above on 28×28 images, orthogonal, seed 4.
    static func folder() throws -> (folder: String, file: SafetensorsFile, store: ParameterStore) {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("weights-start-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let classifier = model.makeClassifier(inputShape: [1, 28, 28], classes: 10)
        var generator = SeededRandom(seed: 4)
        let spec = try InitializerSpec(parsing: "orthogonal")
        let report = try spec.apply(to: classifier, using: &generator)
        let file = InitializedWeights.file(
            store: classifier.store, architecture: model, initializer: spec, seed: 4, dataset: "fashion-mnist-small",
            report: report)
        try file.write(to: folder + "/w.safetensors")
        return (folder, file, classifier.store)
    }

    static func experiment(_ runs: String, model: String = #"{"kind": "mlp", "widths": [12, 8], "activation": "tanh"}"#) throws(ExperimentError) -> ExperimentConfig {
        try ExperimentConfig.parse(try! JSONParser.parse(#"{"model": \#(model), "runs": \#(runs)}"#), defaultName: "w")
    }

    @Test("an entry's weights: a run labelled by the file, its init the file's absolute path, its parameters the file's bit for bit")
    func entry() throws {
        let (folder, file, _) = try Self.folder()
        let config = try Self.experiment(#"[{"init": "kaiming"}, {"weights": "\#(folder)/w.safetensors", "seeds": 2}]"#)
        #expect(config.runs.map(\.label) == ["kaiming", "weights w.safetensors", "weights w.safetensors"])
        let spec = config.runs[1].initializer
        #expect(spec.scheme == .weights && spec.value("file") == folder + "/w.safetensors")
        #expect(try InitializerSpec(parsing: spec.description) == spec)
        let classifier = Self.model.makeClassifier(inputShape: [1, 28, 28], classes: 10)
        var generator = SeededRandom(seed: 99)
        let report = try spec.apply(to: classifier, using: &generator)
        for tensor in file.tensors {
            let view = try #require(classifier.store.views.first { $0.name == tensor.name })
            #expect(Array(UnsafeBufferPointer(start: classifier.store.value(view), count: view.count)).map(\.bitPattern)
                == tensor.values.map(\.bitPattern), "\(tensor.name)")
        }
        #expect(report.layers.map(\.scale) == [1, 1, 1])
        #expect(report.layers.allSatisfy { $0.reason == "as loaded from w.safetensors" })
    }

    @Test("a relative path is made absolute from the working folder, so a run folder names the file wherever it resumes")
    func relative() throws {
        let (folder, _, _) = try Self.folder()
        let depth = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let relative = String(repeating: "../", count: depth) + folder.dropFirst()
        let config = try Self.experiment(#"[{"weights": "\#(relative)/w.safetensors"}]"#)
        #expect(config.runs[0].initializer.value("file") == folder + "/w.safetensors")
    }

    @Test("refused naming the entry and the file: init and weights both, a missing file, a damaged file, another model, a comma, an empty path")
    func refusals() throws {
        let (folder, _, _) = try Self.folder()
        let path = folder + "/w.safetensors"
        func refusal(_ runs: String, model: String? = nil) -> String {
            let error = #expect(throws: ExperimentError.self) {
                if let model { _ = try Self.experiment(runs, model: model) } else { _ = try Self.experiment(runs) }
            }
            return error?.description ?? "accepted"
        }
        #expect(refusal(#"[{"init": "kaiming", "weights": "\#(path)"}]"#)
            == #"runs[0].weights: a run starts from an "init" or from "weights", not both; remove one"#)
        #expect(refusal(#"[{"weights": "\#(folder)/none.safetensors"}]"#).hasPrefix("runs[0].weights: \(folder)/none.safetensors: "))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder + "/bad.safetensors"))
        #expect(refusal(#"[{"weights": "\#(folder)/bad.safetensors"}]"#).hasPrefix("runs[0].weights: \(folder)/bad.safetensors: "))
        let other = refusal(#"[{"weights": "\#(path)"}]"#, model: #"{"kind": "mlp", "widths": [12, 9], "activation": "tanh"}"#)
        #expect(other.hasPrefix("runs[0].weights: \(path) holds the model {"), "\(other)")
        #expect(other.contains("; this run's model is {"), "\(other)")
        #expect(refusal(#"[{"weights": "a,b.safetensors"}]"#)
            == "runs[0].weights: 'a,b.safetensors' holds a comma; rename or link the file to a path without one")
        #expect(refusal(#"[{"weights": ""}]"#) == "runs[0].weights: expected the path of a .safetensors file")
        #expect(throws: InitializerSpec.SpecError.self) { try InitializerSpec(parsing: "weights") }
    }

    @Test("dropout aside, the model must be the file's: a run with dropout 0.2 takes the file")
    func dropout() throws {
        let (folder, _, _) = try Self.folder()
        let config = try Self.experiment(
            #"[{"weights": "\#(folder)/w.safetensors"}]"#,
            model: #"{"kind": "mlp", "widths": [12, 8], "activation": "tanh", "dropout": 0.2}"#)
        #expect(config.runs.count == 1)
    }

    @Test("--weights: the experiment takes the file's model and dataset and gains a run from the file (a sweep: only that run); --dataset still wins")
    func commandLine() throws {
        let (folder, _, _) = try Self.folder()
        var overrides = CommandLineOverrides()
        try overrides.addWeightsRun(folder + "/w.safetensors")
        let config = try overrides.load("default")
        #expect(config.dataset == "fashion-mnist-small")
        #expect(config.runs.allSatisfy { $0.settings.model == Self.model })
        #expect(config.runs.last?.label == "weights w.safetensors")
        #expect(config.runs.dropLast().allSatisfy { $0.initializer.scheme != .weights } && config.runs.count > 1)
        var alone = overrides
        alone.addedRunsOnly = true  // a sweep's: the file's run is the entry it sweeps
        #expect(try alone.load("default").runs.map(\.label) == ["weights w.safetensors"])
        overrides.add("--dataset", ["dataset"], .string("mnist"))
        #expect(try overrides.load("default").dataset == "mnist")
        var missing = CommandLineOverrides()
        let error = #expect(throws: UserError.self) { try missing.addWeightsRun(folder + "/none.safetensors") }
        #expect(error?.description.hasPrefix("--weights: \(folder)/none.safetensors: ") == true)
    }
}
