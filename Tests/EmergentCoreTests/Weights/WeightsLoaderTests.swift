import Foundation
import Testing

@testable import EmergentCore

/// Weights written and loaded into a model built from the file's own architecture give the
/// same parameters and the same outputs; a file that does not fit the model is refused whole.
@Suite("Loading weights into a model")
struct WeightsLoaderTests {
    static let cnn = ModelConfig.cnn(stages: [[4], [8]], head: [16], activation: .relu, batchNorm: false, residual: false)

    /// A CNN initialized by `init` with `seed`, and its weights file.
    static func written(_ scheme: String = "orthogonal", seed: UInt64 = 5) throws -> (any ClassifierModel & InitTarget, SafetensorsFile) {
        let model = cnn.makeClassifier(inputShape: [1, 12, 12], classes: 3)
        var generator = SeededRandom(seed: seed)
        let spec = try InitializerSpec(parsing: scheme)
        let report = try spec.apply(to: model, using: &generator)
        let file = InitializedWeights.file(
            store: model.store, architecture: cnn, initializer: spec, seed: seed, dataset: "test", report: report)
        return (model, file)
    }

    @Test("a CNN's file, read back and loaded into the model its metadata names: every parameter bit for bit, the same logits")
    func roundTrip() throws {
        let (model, file) = try Self.written()
        let read = try SafetensorsFile(decoding: file.encoded(), path: "w.safetensors")
        let architecture = try WeightsLoader.architecture(of: read, path: "w.safetensors")
        #expect(architecture == Self.cnn)
        let loaded = architecture.makeClassifier(inputShape: [1, 12, 12], classes: 3)
        try WeightsLoader.load(read, into: loaded.store, path: "w.safetensors")
        let count = model.store.count
        #expect(Array(UnsafeBufferPointer(start: loaded.store.values, count: count)).map(\.bitPattern)
            == Array(UnsafeBufferPointer(start: model.store.values, count: count)).map(\.bitPattern))
        var generator = SeededRandom(seed: 9)
        let input = Tensor(shape: [2, 1, 12, 12], scalars: (0..<288).map { _ in Float(generator.normal()) })
        #expect(loaded.network.forward(input, mode: .probe).scalars == model.network.forward(input, mode: .probe).scalars)
    }

    @Test("refused, naming the file and the tensor: one missing, one extra, a shape that differs, another layout version, no architecture, an architecture that is not a model")
    func refusals() throws {
        let (model, file) = try Self.written()
        func refusal(_ change: (inout SafetensorsFile) -> Void) -> String {
            var changed = file
            change(&changed)
            do {
                let architecture = try WeightsLoader.architecture(of: changed, path: "w.safetensors")
                try WeightsLoader.load(changed, into: architecture.makeClassifier(inputShape: [1, 12, 12], classes: 3).store, path: "w.safetensors")
                return "loaded"
            } catch { return error.description }
        }
        let first = model.store.views[0]
        #expect(refusal { $0.tensors.removeFirst() }.hasPrefix("w.safetensors: tensor '\(first.name)' (shape \(first.shape)) of the model is not in the file"))
        #expect(refusal { $0.tensors.append(.init(name: "head9.weight", shape: [1], values: [0])) }
            == "w.safetensors: tensor 'head9.weight' is not a parameter of the model the file describes (\(model.store.views.count) parameters)")
        #expect(refusal {
            $0.tensors[0] = .init(name: first.name, shape: [first.count], values: $0.tensors[0].values)
        } == "w.safetensors: tensor '\(first.name)' has shape [\(first.count)]; the model's is \(first.shape)")
        #expect(refusal { $0.metadata["format_version"] = "2" }.hasPrefix("w.safetensors: its weights layout is version 2; this emergent reads version 1"))
        #expect(refusal { $0.metadata["architecture"] = nil }.hasPrefix("w.safetensors: its metadata has no 'architecture'"))
        #expect(refusal { $0.metadata["architecture"] = "{\"kind\": \"rnn\"}" }.contains("its metadata's architecture is not a model"))
        #expect(refusal { $0.metadata["architecture"] = "{" }.contains("its metadata's architecture is not JSON"))
    }

    @Test("BatchNorm running statistics: written from a model's layers, read back into another's; half a pair, a wrong size, or statistics for a model without those layers refused, nothing changed")
    func runningStatistics() throws {
        let architecture = ModelConfig.mlp(hidden: [6, 6], activation: .relu, batchNorm: true, bias: true, residual: false, dropout: 0)
        let trained = architecture.makeClassifier(inputShape: [1, 4, 4], classes: 3)
        var generator = SeededRandom(seed: 2)
        let report = try InitializerSpec(parsing: "kaiming").apply(to: trained, using: &generator)
        let norms = trained.statefulLayers.compactMap { $0 as? BatchNorm }
        #expect(norms.map(\.name) == ["bn1", "bn2"])
        for (index, norm) in norms.enumerated() {
            norm.restoreRunningStatistics(mean: (0..<6).map { Float($0 + index) }, variance: (0..<6).map { Float($0 + 2) })
        }
        let file = InitializedWeights.file(
            store: trained.store, statefulLayers: trained.statefulLayers, architecture: architecture,
            initializer: try InitializerSpec(parsing: "kaiming"), seed: 2, dataset: "test", report: report)
        #expect(file.tensors.suffix(4).map(\.name) == ["bn1.running_mean", "bn1.running_var", "bn2.running_mean", "bn2.running_var"])
        let loaded = architecture.makeClassifier(inputShape: [1, 4, 4], classes: 3)
        try WeightsLoader.load(file, into: loaded.store, statefulLayers: loaded.statefulLayers, path: "w.safetensors")
        let read = loaded.statefulLayers.compactMap { $0 as? BatchNorm }
        #expect(read.map(\.runningMean) == norms.map(\.runningMean) && read.map(\.runningVariance) == norms.map(\.runningVariance))

        func refusal(_ change: (inout SafetensorsFile) -> Void, layers: Bool = true) -> String {
            var changed = file
            change(&changed)
            let fresh = architecture.makeClassifier(inputShape: [1, 4, 4], classes: 3)
            let error = #expect(throws: WeightsError.self) {
                try WeightsLoader.load(changed, into: fresh.store, statefulLayers: layers ? fresh.statefulLayers : [], path: "w.safetensors")
            }
            #expect(fresh.statefulLayers.compactMap { ($0 as? BatchNorm)?.runningMean }.allSatisfy { $0 == Array(repeating: 0, count: 6) })
            return error?.description ?? "loaded"
        }
        #expect(refusal { $0.tensors.removeAll { $0.name == "bn2.running_var" } }
            == "w.safetensors: tensor 'bn2.running_mean' comes without its pair; a BatchNorm's running_mean and running_var come together")
        #expect(refusal { $0.tensors[$0.tensors.count - 1] = .init(name: "bn2.running_var", shape: [5], values: Array(repeating: 1, count: 5)) }
            == "w.safetensors: tensor 'bn2.running_var' has shape [5]; the model's is [6]")
        #expect(refusal({ _ in }, layers: false).hasPrefix("w.safetensors: tensor 'bn1.running_mean' is not a parameter of the model"))
        // An init's file has none: the defaults stay.
        var parametersOnly = file
        parametersOnly.tensors.removeLast(4)
        let fresh = architecture.makeClassifier(inputShape: [1, 4, 4], classes: 3)
        try WeightsLoader.load(parametersOnly, into: fresh.store, statefulLayers: fresh.statefulLayers, path: "w.safetensors")
        #expect(fresh.statefulLayers.compactMap { ($0 as? BatchNorm)?.runningVariance }.allSatisfy { $0 == Array(repeating: 1, count: 6) })
    }
}
