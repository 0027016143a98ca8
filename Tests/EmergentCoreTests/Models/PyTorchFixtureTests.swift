@testable import EmergentCore
import Foundation
import Testing

/// Forward and backward passes against PyTorch 2.13, from fixtures written by
/// `Fixtures/make_fixtures.py` (beside this file) (committed; PyTorch is not needed to run these tests).
@Suite("Models against PyTorch fixtures")
struct PyTorchFixtureTests {
    struct StoredTensor: Decodable {
        let shape: [Int]
        let values: [Float]
        var tensor: Tensor { Tensor(shape: shape, scalars: values) }
    }

    struct StoredTokens: Decodable {
        let shape: [Int]
        let values: [Int32]
        var batch: TokenBatch { TokenBatch(tokens: values, batch: shape[0], length: shape[1]) }
    }

    struct Fixture: Decodable {
        let labelSmoothing: Float
        let source: StoredTokens?
        let targetInput: StoredTokens?
        let input: StoredTensor
        let targets: [Int]
        let parameters: [String: StoredTensor]
        let logits: StoredTensor
        let loss: Double
        let gradients: [String: StoredTensor]
    }

    static func load(_ name: String) throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/\(name).json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// Float32 results of the same arithmetic in a different order agree to a few ulps of
    /// the largest magnitude involved; 1e-4 relative (with a 1e-5 absolute floor) is far
    /// above that and far below any real mistake.
    static func expectClose(_ actual: [Float], _ expected: [Float], _ label: String) {
        #expect(actual.count == expected.count, "\(label): \(actual.count) values, expected \(expected.count)")
        let scale = max(expected.map { abs($0) }.max() ?? 0, 1e-1)
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-4 * scale + 1e-5, "\(label): max difference \(worst) at scale \(scale)")
    }

    /// Loads the parameters, runs one training pass and compares everything.
    static func check(_ fixture: Fixture, store: ParameterStore, network: any Layer) {
        check(
            fixture, store: store, forward: { network.forward(fixture.input.tensor, mode: .training) },
            backward: { _ = network.backward($0) })
    }

    static func check(
        _ fixture: Fixture, store: ParameterStore, ignoreIndex: Int? = nil,
        forward: () -> Tensor, backward: (Tensor) -> Void
    ) {
        #expect(Set(store.views.map(\.name)) == Set(fixture.parameters.keys))
        for view in store.views { store.set(view, to: fixture.parameters[view.name]!.tensor) }
        store.zeroGradients()
        let logits = forward()
        expectClose(logits.scalars, fixture.logits.values, "logits")
        let loss = SoftmaxCrossEntropy(labelSmoothing: fixture.labelSmoothing, ignoreIndex: ignoreIndex)(
            logits: logits, targets: fixture.targets)
        #expect(
            abs(loss.loss - fixture.loss) < 1e-5 * max(1, abs(fixture.loss)), "loss \(loss.loss) vs \(fixture.loss)")
        backward(loss.gradient)
        for view in store.views {
            expectClose(store.gradientTensor(view).scalars, fixture.gradients[view.name]!.values, "∂loss/∂\(view.name)")
        }
    }

    @Test("MLP with GELU and ReLU, label smoothing 0.1")
    func mlp() throws {
        let fixture = try Self.load("mlp")
        let store = ParameterStore()
        let network = Sequential([
            Dense("dense1", 6, 5, store: store), Activation(.gelu),
            Dense("dense2", 5, 4, store: store), Activation(.relu),
            Dense("dense3", 4, 3, store: store),
        ])
        Self.check(fixture, store: store, network: network)
    }

    @Test("CNN with batch norm in training mode")
    func cnn() throws {
        let fixture = try Self.load("cnn_batchnorm")
        let model = CNN(
            CNNConfiguration(stages: [[3], [4]], head: [5], batchNorm: true, inputShape: [1, 8, 8], classes: 3))
        Self.check(fixture, store: model.store, network: model.network)
    }

    @Test("pre-LN transformer with padding, causal masks and ignored targets")
    func transformer() throws {
        let fixture = try Self.load("transformer")
        let model = Transformer(
            TransformerConfiguration(
                vocabulary: 9, width: 8, heads: 2, encoderLayers: 1, decoderLayers: 1,
                feedForward: 12, maximumLength: 16))
        let source = try #require(fixture.source).batch, target = try #require(fixture.targetInput).batch
        Self.check(
            fixture, store: model.store, ignoreIndex: 0,
            forward: { model.forward(source: source, targetInput: target, mode: .training) },
            backward: { model.backward($0) })
    }
}
