import Foundation
import Testing

@testable import EmergentCore

/// A weights file names its architecture as an experiment file's `model` object: that object,
/// parsed back, must be the same model, for every kind and option.
@Suite("A model's document parses back to the same model")
struct ModelDocumentTests {
    static var transformer: ModelConfig {
        var settings = ModelConfig.TransformerSettings()
        settings.width = 64
        settings.heads = 8
        settings.encoderLayers = 3
        settings.decoderLayers = 1
        settings.feedForward = 96
        settings.activation = .gelu
        settings.preNorm = false
        settings.tiedOutput = true
        settings.positions = .learned
        settings.dropout = 0.1
        settings.maximumLength = 40
        return .transformer(settings)
    }

    @Test(
        "mlp, cnn and transformer, defaults and every option",
        arguments: [
            ModelConfig.standardMLP,
            .mlp(hidden: [32, 16], activation: .leakyRelu(slope: 0.01), batchNorm: true, bias: false, residual: true, dropout: 0.25),
            .mlp(hidden: [], activation: .linear, batchNorm: false, bias: true, residual: false, dropout: 0),
            .cnn(stages: [[16], [32, 32]], head: [64], activation: .silu, batchNorm: true, residual: true),
            .cnn(stages: [[8]], head: [], activation: .tanh, batchNorm: false, residual: false),
            .transformer(ModelConfig.TransformerSettings()), transformer,
        ])
    func roundTrip(_ model: ModelConfig) throws {
        let text = model.document.text()
        #expect(try ModelConfig(parsing: try JSONParser.parse(text)) == model, "\(text)")
    }
}
