/// What an initializer did, layer by layer: the report the layer panel and `emergent
/// measure` show, and the cost of data-driven schemes.
public struct InitReport: Sendable, Codable, Equatable {
    public struct Layer: Sendable, Codable, Equatable {
        public let name: String
        /// The weights' standard deviation after initialization.
        public let standardDeviation: Double
        /// Scale relative to the base scheme (α^idx, LSUV's or Fixup's factor); 1 when none.
        public let scale: Double
        /// Why, in words ("kaiming normal fan_in gain 1.414", "α^-2 = 0.694").
        public let reason: String
    }

    public var layers: [Layer]
    /// Forward passes over the probe a data-driven scheme used.
    public var probeForwards: Int
    /// Gradient evaluations (forward + backward) of a learned scheme; the seconds the whole
    /// initialization took (base scheme, probe passes and search).
    public var gradientEvaluations = 0
    public var seconds = 0.0
    /// An equivalent-learning-rate control's per-layer multipliers of the learning rate, by
    /// layer name (nil for every other run).
    public var learningRateMultipliers: [String: Double]?

    public init(layers: [Layer], probeForwards: Int) {
        self.layers = layers
        self.probeForwards = probeForwards
    }

    public var scales: [String: Double] {
        Dictionary(layers.map { ($0.name, $0.scale) }, uniquingKeysWith: { first, _ in first })
    }
}

public enum InitError: Error, Equatable, CustomStringConvertible {
    case notApplicable(scheme: String, model: String, reason: String)
    case needsProbe(scheme: String)
    case needsData(scheme: String)
    /// A weights file that could not be read or does not fit the model (`WeightsError`'s words).
    case weights(String)

    public var description: String {
        switch self {
        case let .needsData(scheme): "initializer '\(scheme)' learns from data: it needs training batches"
        case let .notApplicable(scheme, model, reason):
            "initializer '\(scheme)' does not apply to the \(model): \(reason)"
        case let .needsProbe(scheme): "initializer '\(scheme)' needs data: a probe batch"
        case let .weights(problem): problem
        }
    }
}

extension InitReport {
    /// Replaces the rows of rescaled weights: `entries` maps a weight's parameter name
    /// (`dense2.weight`) to the factor applied after the base scheme and the reason.
    mutating func rescale(_ model: some InitTarget, _ entries: [String: (scale: Double, reason: String)]) {
        let views = Dictionary(
            model.weightsInOrder.map { ($0.name, $0.weight.name) }, uniquingKeysWith: { first, _ in first })
        layers = layers.map { layer in
            guard let view = views[layer.name], let entry = entries[view] else { return layer }
            return Layer(
                name: layer.name, standardDeviation: layer.standardDeviation * entry.scale, scale: entry.scale,
                reason: entry.reason)
        }
    }
}
