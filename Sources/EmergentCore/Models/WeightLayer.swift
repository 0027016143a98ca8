/// A layer with weights, as the layer panel and the emergence measure see it: its stable
/// name, its parameters, and the layer whose output is its post-activation signal.
public struct WeightLayer {
    public let name: String
    public let weight: ParameterStore.View
    public let bias: ParameterStore.View?
    /// Where this layer's post-activation output (post-BN, post-residual; the logits for
    /// the output layer) is read after a forward pass.
    public let signal: any SignalSource
    /// The nonlinearity applied (nil for the logits), for dead and saturated fractions.
    public let activation: ActivationKind?
    /// A residual identity edge joins the previous weight layer's nodes to this one's.
    public let residualFromPrevious: Bool
    /// The layer's own output before any normalisation or activation (LSUV scales by it).
    public let rawOutput: any SignalSource

    public init(
        name: String, weight: ParameterStore.View, bias: ParameterStore.View?, signal: any SignalSource,
        activation: ActivationKind?, residualFromPrevious: Bool = false, rawOutput: any SignalSource
    ) {
        self.name = name
        self.weight = weight
        self.bias = bias
        self.signal = signal
        self.activation = activation
        self.residualFromPrevious = residualFromPrevious
        self.rawOutput = rawOutput
    }
}
