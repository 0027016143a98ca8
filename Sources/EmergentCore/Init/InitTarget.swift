/// What an initializer needs from a model: its parameters and its weight layers grouped in
/// depth order, as the emergence-promoting scheme indexes them (each layer for MLPs and CNNs;
/// each encoder and decoder block for transformers, whose embeddings and head stay unscaled).
public protocol InitTarget: AnyObject {
    var store: ParameterStore { get }
    var depthGroups: [(name: String, weights: [ParameterStore.View])] { get }
}

extension MLP: InitTarget {
    public var depthGroups: [(name: String, weights: [ParameterStore.View])] { weightLayers.map { ($0.name, [$0.weight]) } }
}

extension CNN: InitTarget {
    public var depthGroups: [(name: String, weights: [ParameterStore.View])] { weightLayers.map { ($0.name, [$0.weight]) } }
}

extension Transformer: InitTarget {
    public var depthGroups: [(name: String, weights: [ParameterStore.View])] {
        weightBlocks.filter { $0.name != "head" }.map { ($0.name, $0.layers.map(\.weight)) }
    }
}
