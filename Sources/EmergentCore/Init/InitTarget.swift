/// What an initializer needs from a model.
public protocol InitTarget: AnyObject {
    var store: ParameterStore { get }
    /// Weight layers grouped in depth order, as the emergence-promoting scheme indexes them
    /// (each layer for MLPs and CNNs; each encoder and decoder block for transformers).
    var depthGroups: [(name: String, weights: [ParameterStore.View])] { get }
    /// Every weight tensor in forward order with its own name (per-layer indexing).
    var weightsInOrder: [(name: String, weight: ParameterStore.View)] { get }
    /// The model's main nonlinearity, for gains.
    var nonlinearity: ActivationKind { get }
    /// Weight layers with their raw outputs, in forward order, for data-driven schemes.
    var weightLayerOutputs: [(name: String, weight: ParameterStore.View, output: any SignalSource)] { get }
}

extension ClassifierModel {
    public var depthGroups: [(name: String, weights: [ParameterStore.View])] {
        weightLayers.map { ($0.name, [$0.weight]) }
    }
    public var weightsInOrder: [(name: String, weight: ParameterStore.View)] {
        weightLayers.map { ($0.name, $0.weight) }
    }
    public var weightLayerOutputs: [(name: String, weight: ParameterStore.View, output: any SignalSource)] {
        weightLayers.map { ($0.name, $0.weight, $0.rawOutput) }
    }
}

extension MLP: InitTarget {
    public var nonlinearity: ActivationKind { configuration.activation }
}

extension CNN: InitTarget {
    public var nonlinearity: ActivationKind { configuration.activation }
}

extension Transformer: InitTarget {
    public var depthGroups: [(name: String, weights: [ParameterStore.View])] {
        weightBlocks.filter { $0.name != "head" }.map { ($0.name, $0.layers.map(\.weight)) }
    }
    public var weightsInOrder: [(name: String, weight: ParameterStore.View)] {
        weightBlocks.flatMap {
            $0.layers.map { layer in (String(layer.weight.name.dropLast(".weight".count)), layer.weight) }
        }
    }
    public var nonlinearity: ActivationKind { configuration.feedForwardActivation }
    public var weightLayerOutputs: [(name: String, weight: ParameterStore.View, output: any SignalSource)] {
        weightBlocks.flatMap {
            $0.layers.map { layer in
                (String(layer.weight.name.dropLast(".weight".count)), layer.weight, layer as any SignalSource)
            }
        }
    }
}
