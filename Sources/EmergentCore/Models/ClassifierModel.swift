/// A model that maps a batch of inputs to logits.
public protocol ClassifierModel: AnyObject {
    var store: ParameterStore { get }
    var network: Sequential { get }
    var weightLayers: [WeightLayer] { get }
}

extension ClassifierModel {
    /// The layers that carry state besides parameters (BatchNorm, dropout), in order.
    public var statefulLayers: [any Layer] { LayerState.statefulLayers(in: network) }

    /// The shape of one input sample, from the first weight layer (features, or channels and the image size).
    public var inputShape: [Int] {
        if let mlp = self as? MLP { return [mlp.configuration.widths[0]] }
        if let cnn = self as? CNN { return cnn.configuration.inputShape }
        return [weightLayers.first?.weight.shape.dropFirst().reduce(1, *) ?? 0]
    }

    public func forward(_ input: Tensor, mode: PassMode) -> Tensor { network.forward(input, mode: mode) }
    public func backward(_ logitsGradient: Tensor) { _ = network.backward(logitsGradient) }
}
