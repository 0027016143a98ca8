/// A layer with weights, as the layer panel and the emergence measure see it: its stable
/// name, its parameters, and the layer whose output is its post-activation signal.
public struct WeightLayer {
    public let name: String
    public let weight: ParameterStore.View
    public let bias: ParameterStore.View?
    /// The activation after this layer (nil for the output layer, whose signal is the logits).
    public let activation: Activation?
}

/// A model that maps a batch of inputs to logits.
public protocol ClassifierModel: AnyObject {
    var store: ParameterStore { get }
    var network: Sequential { get }
    var weightLayers: [WeightLayer] { get }
}

extension ClassifierModel {
    public func forward(_ input: Tensor, mode: PassMode) -> Tensor { network.forward(input, mode: mode) }
    public func backward(_ logitsGradient: Tensor) { _ = network.backward(logitsGradient) }
}
