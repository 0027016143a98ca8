import Kernels

/// What a user sets for an MLP (product spec §3).
public struct MLPConfiguration: Sendable, Hashable, Codable {
    /// Input, hidden and output widths: [784, 256, 256, 10] has three weight layers.
    public var widths: [Int]
    public var activation: ActivationKind
    public var batchNorm: Bool
    public var bias: Bool
    /// Wraps each hidden block whose input and output widths agree in `x + block(x)`.
    public var residual: Bool
    /// Dropout after each hidden activation (0: none).
    public var dropout: Float
    /// Seeds the dropout masks (the run's own generator derives it).
    public var seed: UInt64

    /// The default experiment's model: 784-256×6-10, ReLU.
    public static let standard = MLPConfiguration(widths: [784] + Array(repeating: 256, count: 6) + [10])
    /// The reference model of performance.md: 784-512×4-10.
    public static let reference = MLPConfiguration(widths: [784, 512, 512, 512, 512, 10])

    public init(
        widths: [Int], activation: ActivationKind = .relu, batchNorm: Bool = false, bias: Bool = true,
        residual: Bool = false,
        dropout: Float = 0, seed: UInt64 = 0
    ) {
        precondition(
            widths.count >= 2 && widths.allSatisfy { $0 > 0 },
            "an MLP needs at least two positive widths, got \(widths)")
        precondition(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got \(dropout)")
        self.dropout = dropout
        self.seed = seed
        self.widths = widths
        self.activation = activation
        self.batchNorm = batchNorm
        self.bias = bias
        self.residual = residual
    }
}

/// A multilayer perceptron: dense1 … denseL, each hidden one followed by optional
/// BatchNorm (bn1 …) and the activation.
public final class MLP: ClassifierModel {
    public let configuration: MLPConfiguration
    public let store = ParameterStore()
    public let network: Sequential
    public let weightLayers: [WeightLayer]

    public init(_ configuration: MLPConfiguration, gemm: Gemm = .best) {
        self.configuration = configuration
        var layers: [any Layer] = [Flatten()]
        var weightLayers: [WeightLayer] = []
        let widths = configuration.widths
        var dropouts = SeededRandom(seed: configuration.seed)
        for index in 0..<(widths.count - 1) {
            let name = "dense\(index + 1)"
            let dense = Dense(
                name, widths[index], widths[index + 1], bias: configuration.bias, store: store, gemm: gemm)
            let isOutput = index == widths.count - 2
            if isOutput {
                layers.append(dense)
                weightLayers.append(
                    WeightLayer(
                        name: name, weight: dense.weight, bias: dense.bias, signal: dense, activation: nil,
                        rawOutput: dense))
                continue
            }
            var block: [any Layer] = [dense]
            if configuration.batchNorm {
                block.append(BatchNorm("bn\(index + 1)", features: widths[index + 1], store: store))
            }
            let activation = Activation(configuration.activation)
            block.append(activation)
            if configuration.dropout > 0 {
                block.append(Dropout(rate: configuration.dropout, generator: dropouts.split()))
            }
            // The first block's input is the image, not a node layer, so it gets no identity edge.
            if configuration.residual && widths[index] == widths[index + 1] {
                let residual = Residual(Sequential(block))
                layers.append(residual)
                weightLayers.append(
                    WeightLayer(
                        name: name, weight: dense.weight, bias: dense.bias, signal: residual,
                        activation: configuration.activation, residualFromPrevious: index > 0, rawOutput: dense))
            } else {
                layers.append(contentsOf: block)
                weightLayers.append(
                    WeightLayer(
                        name: name, weight: dense.weight, bias: dense.bias, signal: activation,
                        activation: configuration.activation, rawOutput: dense))
            }
        }
        network = Sequential(layers)
        self.weightLayers = weightLayers
    }
}
