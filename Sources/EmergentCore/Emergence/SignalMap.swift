/// A model as the emergence measure and the layer panel see it: node layers in
/// topological order, each read from a signal after a forward pass, and the connections
/// between them (emergence.md "Decisions for Emergent", §1.6).
public struct SignalMap {
    public struct Layer {
        public let name: String
        /// The weight whose rows are this layer's nodes' incoming weights (for the
        /// weight-based activity criterion and the weight statistics).
        public let weight: ParameterStore.View
        public let signal: any SignalSource
        public let activation: ActivationKind?
    }

    public let layers: [Layer]
    public let connections: [EmergenceGraph.Connection]

    /// MLPs and CNNs: each weight layer's output (channels for convolutions), consecutive
    /// layers completely connected, identity edges across residual blocks.
    public init(classifier model: some ClassifierModel) {
        layers = model.weightLayers.map {
            Layer(name: $0.name, weight: $0.weight, signal: $0.signal, activation: $0.activation)
        }
        var connections: [EmergenceGraph.Connection] = []
        for (index, layer) in model.weightLayers.enumerated() where index > 0 {
            connections.append(.init(from: index - 1, to: index, kind: .complete))
            if layer.residualFromPrevious { connections.append(.init(from: index - 1, to: index, kind: .identity)) }
        }
        self.connections = connections
    }

    /// Transformers, feature level: per block the FFN hidden units and the block's output
    /// features; attention is a complete map (cross-token edges ignored), residual streams
    /// are identity edges, and the decoder's FFN units also hear the encoder's output.
    public init(transformer model: Transformer) {
        var layers: [Layer] = []
        var connections: [EmergenceGraph.Connection] = []
        var previousOutput: Int?
        var memory: Int?
        func addBlock(_ name: String, feedForward: FeedForward, output: any SignalSource, extraInput: Int?) {
            let hidden = layers.count
            layers.append(
                Layer(
                    name: name + ".ffn", weight: feedForward.first.weight, signal: feedForward.activation,
                    activation: feedForward.activation.kind))
            layers.append(
                Layer(name: name + ".out", weight: feedForward.second.weight, signal: output, activation: nil))
            for source in [previousOutput, extraInput].compactMap({ $0 }) {
                connections.append(.init(from: source, to: hidden, kind: .complete))
            }
            connections.append(.init(from: hidden, to: hidden + 1, kind: .complete))
            if let previousOutput { connections.append(.init(from: previousOutput, to: hidden + 1, kind: .identity)) }
            previousOutput = hidden + 1
        }
        for (index, layer) in model.encoder.enumerated() {
            addBlock("enc\(index + 1)", feedForward: layer.feedForward, output: layer, extraInput: nil)
        }
        memory = previousOutput
        for (index, layer) in model.decoder.enumerated() {
            addBlock("dec\(index + 1)", feedForward: layer.feedForward, output: layer, extraInput: memory)
        }
        if let head = model.head, let last = previousOutput {
            layers.append(Layer(name: "head", weight: head.weight, signal: head, activation: nil))
            connections.append(.init(from: last, to: layers.count - 1, kind: .complete))
        }
        self.layers = layers
        self.connections = connections
    }
}
