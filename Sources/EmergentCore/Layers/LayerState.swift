/// What a layer carries from step to step besides its parameters: BatchNorm's running
/// statistics and a dropout mask generator. A checkpoint keeps these so a resumed run
/// normalizes and drops exactly as the uninterrupted one would.
public enum LayerState: Sendable, Equatable, Codable {
    case batchNorm(mean: [Float], variance: [Float])
    case dropout(SeededRandom)

    /// The layers of a tree (through `Sequential` and `Residual`) that carry state, in order.
    static func statefulLayers(in layer: any Layer) -> [any Layer] {
        switch layer {
        case let chain as Sequential: chain.layers.flatMap(statefulLayers(in:))
        case let residual as Residual: statefulLayers(in: residual.inner)
        case is BatchNorm, is Dropout: [layer]
        default: []
        }
    }

    /// The state of each stateful layer, in the order given.
    static func capture(_ layers: [any Layer]) -> [LayerState] {
        layers.compactMap { layer in
            switch layer {
            case let norm as BatchNorm: .batchNorm(mean: norm.runningMean, variance: norm.runningVariance)
            case let dropout as Dropout: .dropout(dropout.generator)
            default: nil
            }
        }
    }

    /// Sets each layer's state; false, and nothing is guaranteed, when the states do not fit
    /// the layers (another model's checkpoint).
    static func restore(_ states: [LayerState], into layers: [any Layer]) -> Bool {
        guard states.count == layers.count else { return false }
        for (state, layer) in zip(states, layers) {
            switch (state, layer) {
            case let (.batchNorm(mean, variance), norm as BatchNorm):
                guard norm.restoreRunningStatistics(mean: mean, variance: variance) else { return false }
            case let (.dropout(generator), dropout as Dropout):
                dropout.generator = generator
            default:
                return false
            }
        }
        return true
    }
}
