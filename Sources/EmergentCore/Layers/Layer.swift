/// Whether a pass trains (batch statistics, dropout), evaluates (running statistics), or
/// probes: batch statistics like training, but nothing about the run changes (no running-
/// statistics update, no dropout), so a live measurement leaves the run's numbers alone.
public enum PassMode: Sendable {
    case training, evaluation, probe

    /// Normalisation uses the batch's own statistics.
    public var usesBatchStatistics: Bool { self != .evaluation }
}

/// A layer with an explicit forward and backward pass, llm.c style. `forward` keeps what
/// `backward` needs; `backward` adds parameter gradients into the store and returns the
/// gradient with respect to the input of the last `forward`.
public protocol Layer: AnyObject {
    func forward(_ input: Tensor, mode: PassMode) -> Tensor
    func backward(_ outputGradient: Tensor) -> Tensor
}

/// Layers in a chain.
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }

    public func forward(_ input: Tensor, mode: PassMode) -> Tensor {
        layers.reduce(input) { $1.forward($0, mode: mode) }
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        layers.reversed().reduce(outputGradient) { $1.backward($0) }
    }
}

/// A layer whose last output the layer panel and the emergence measure read.
public protocol SignalSource: AnyObject {
    var lastOutput: Tensor { get }
}
