import Kernels

/// What a user sets for a CNN (product spec §3).
public struct CNNConfiguration: Sendable, Hashable, Codable {
    /// Channels of each 3×3 convolution, grouped by stage; a 2×2 max-pool follows every stage.
    public var stages: [[Int]]
    /// Hidden widths of the dense head (the output layer is added for the classes).
    public var head: [Int]
    public var batchNorm: Bool
    /// Convolutions whose input and output channels agree (after the first) become residual
    /// blocks x + act(bn(conv(x))), as the MLP's.
    public var residual: Bool
    public var activation: ActivationKind
    /// Input channels, height and width: 1×28×28 (Fashion-MNIST) or 3×32×32 (CIFAR-10).
    public var inputShape: [Int]
    public var classes: Int

    /// The reference CNN of performance.md.
    public static let reference = CNNConfiguration(stages: [[32], [64]], head: [128])

    /// The reference layout for a dataset's images; residual: each stage gets a second
    /// convolution of the same channels as a residual block ([[32, 32], [64, 64]]).
    public static func reference(
        inputShape: [Int], classes: Int, batchNorm: Bool = false, residual: Bool = false,
        activation: ActivationKind = .relu
    ) -> CNNConfiguration {
        CNNConfiguration(
            stages: residual ? [[32, 32], [64, 64]] : [[32], [64]], head: [128], batchNorm: batchNorm,
            residual: residual,
            activation: activation, inputShape: inputShape, classes: classes)
    }

    public init(
        stages: [[Int]], head: [Int], batchNorm: Bool = false, residual: Bool = false,
        activation: ActivationKind = .relu,
        inputShape: [Int] = [1, 28, 28], classes: Int = 10
    ) {
        self.stages = stages
        self.head = head
        self.batchNorm = batchNorm
        self.residual = residual
        self.activation = activation
        self.inputShape = inputShape
        self.classes = classes
    }
}

/// conv1 … convN (3×3, padding 1) with optional BatchNorm and the activation (optionally as
/// residual blocks where channels agree), a max-pool after each stage, then fc1 … fcM.
public final class CNN: ClassifierModel {
    public let configuration: CNNConfiguration
    public let store = ParameterStore()
    public let network: Sequential
    public let weightLayers: [WeightLayer]

    public init(_ configuration: CNNConfiguration, gemm: Gemm = .best) {
        self.configuration = configuration
        var layers: [any Layer] = []
        var weightLayers: [WeightLayer] = []
        var channels = configuration.inputShape[0]
        var (height, width) = (configuration.inputShape[1], configuration.inputShape[2])
        var convIndex = 0
        for stage in configuration.stages {
            for outChannels in stage {
                convIndex += 1
                let conv = Conv2D("conv\(convIndex)", channels, outChannels, store: store, gemm: gemm)
                conv.computesInputGradient = convIndex > 1
                var block: [any Layer] = [conv]
                if configuration.batchNorm {
                    block.append(BatchNorm("bn\(convIndex)", features: outChannels, store: store))
                }
                let activation = Activation(configuration.activation)
                block.append(activation)
                // The first convolution reads the image, which is not a node layer: no identity edge.
                if configuration.residual && convIndex > 1 && channels == outChannels {
                    let residual = Residual(Sequential(block))
                    layers.append(residual)
                    weightLayers.append(
                        WeightLayer(
                            name: "conv\(convIndex)", weight: conv.weight, bias: conv.bias, signal: residual,
                            activation: configuration.activation, residualFromPrevious: true, rawOutput: conv))
                } else {
                    layers.append(contentsOf: block)
                    weightLayers.append(
                        WeightLayer(
                            name: "conv\(convIndex)", weight: conv.weight, bias: conv.bias, signal: activation,
                            activation: configuration.activation, rawOutput: conv))
                }
                channels = outChannels
            }
            layers.append(MaxPool2D(size: 2))
            height /= 2
            width /= 2
        }
        layers.append(Flatten())
        let widths = [channels * height * width] + configuration.head + [configuration.classes]
        for index in 0..<(widths.count - 1) {
            let name = "fc\(index + 1)"
            let dense = Dense(name, widths[index], widths[index + 1], store: store, gemm: gemm)
            layers.append(dense)
            let isOutput = index == widths.count - 2
            let activation = isOutput ? nil : Activation(configuration.activation)
            if let activation { layers.append(activation) }
            weightLayers.append(
                WeightLayer(
                    name: name, weight: dense.weight, bias: dense.bias, signal: activation ?? dense,
                    activation: isOutput ? nil : configuration.activation, rawOutput: dense))
        }
        network = Sequential(layers)
        self.weightLayers = weightLayers
    }
}
