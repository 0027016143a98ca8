import Foundation
import Kernels

/// One weight layer's row of the layer panel and of `emergent measure`.
public struct LayerMeasurement: Sendable, Codable, Equatable {
    public let name: String
    public let shape: [Int]
    /// The scale the initializer applied (α^idx, or a learned scale), when known.
    public var scale: Double?
    /// log10 E_l: this layer's share of emergence (−∞ when none).
    public let log10E: Double
    public let activeFraction: Double
    public let weightRMS: Double
    public let activationMean: Double
    public let activationStd: Double
    public let gradientNorm: Double
    /// log10(‖ΔW‖/‖W‖) of the last update, when known.
    public var log10UpdateRatio: Double?
    /// Nodes that were exactly zero on every probe sample.
    public let deadFraction: Double
    /// Values with |h| ≥ 0.99, for tanh layers.
    public let saturatedFraction: Double?

    public init(
        name: String, shape: [Int], scale: Double?, log10E: Double, activeFraction: Double, weightRMS: Double,
        activationMean: Double, activationStd: Double, gradientNorm: Double, log10UpdateRatio: Double?,
        deadFraction: Double, saturatedFraction: Double?
    ) {
        self.name = name
        self.shape = shape
        self.scale = scale
        self.log10E = log10E
        self.activeFraction = activeFraction
        self.weightRMS = weightRMS
        self.activationMean = activationMean
        self.activationStd = activationStd
        self.gradientNorm = gradientNorm
        self.log10UpdateRatio = log10UpdateRatio
        self.deadFraction = deadFraction
        self.saturatedFraction = saturatedFraction
    }
}

/// Emergence and per-layer statistics of a model after a forward pass over the probe.
public struct ModelMeasurement: Sendable, Codable, Equatable {
    public private(set) var layers: [LayerMeasurement]
    public let log10E: Double
    public let log10CompleteE: Double
    /// log10(E / parameters).
    public let log10Relative: Double
    public let parameters: Int
    public let tau: Double
    public let criterion: EmergenceSettings.Criterion

    /// Reads every signal of `map` (so a forward pass over the probe must have run) and the
    /// gradients in `store` as they are.
    public init(map: SignalMap, store: ParameterStore, settings: EmergenceSettings) {
        var nodeLayers: [EmergenceGraph.NodeLayer] = []
        var partial: [LayerMeasurement] = []
        for layer in map.layers {
            let activity = NodeActivity(layer.signal.lastOutput)
            let active: [Bool]
            switch settings.criterion {
            case .activation:
                active = activity.meanMagnitude.map { $0 > settings.tau }
            case .weight:
                let rows = layer.weight.shape[0], perRow = layer.weight.count / max(rows, 1)
                let weights = UnsafeBufferPointer(start: store.value(layer.weight), count: layer.weight.count)
                active = (0..<rows).map { row in
                    weights[(row * perRow)..<((row + 1) * perRow)].reduce(0) { $0 + Double(abs($1)) }
                        / Double(max(perRow, 1)) > settings.tau
                }
            }
            nodeLayers.append(EmergenceGraph.NodeLayer(name: layer.name, active: active))
            let count = layer.weight.count
            let weightSquares = VectorStatistics.sumAndSquares(store.value(layer.weight), count: count).squares
            let gradientSquares = VectorStatistics.sumAndSquares(store.gradient(layer.weight), count: count).squares
            partial.append(
                LayerMeasurement(
                    name: layer.name, shape: layer.weight.shape, scale: nil, log10E: -.infinity,
                    activeFraction: 0, weightRMS: (weightSquares / Double(max(count, 1))).squareRoot(),
                    activationMean: activity.mean, activationStd: activity.standardDeviation,
                    gradientNorm: gradientSquares.squareRoot(), log10UpdateRatio: nil,
                    deadFraction: Double(activity.alwaysZero.filter { $0 }.count)
                        / Double(max(activity.alwaysZero.count, 1)),
                    saturatedFraction: layer.activation == .tanh ? activity.saturatedFraction : nil))
        }
        let graph = EmergenceGraph(layers: nodeLayers, connections: map.connections)
        let value =
            graph.isLayered
            ? EmergenceMeasure.layered(widths: nodeLayers.map(\.count), active: nodeLayers.map(\.activeCount))
            : EmergenceMeasure.general(graph)
        layers = partial.enumerated().map { index, row in
            LayerMeasurement(
                name: row.name, shape: row.shape, scale: nil, log10E: value.layerLogE[index] / M_LN10,
                activeFraction: value.activeFractions[index], weightRMS: row.weightRMS,
                activationMean: row.activationMean,
                activationStd: row.activationStd, gradientNorm: row.gradientNorm, log10UpdateRatio: nil,
                deadFraction: row.deadFraction, saturatedFraction: row.saturatedFraction)
        }
        log10E = value.log10E
        log10CompleteE = value.log10CompleteE
        parameters = store.count
        log10Relative = value.log10Relative(parameters: store.count)
        tau = settings.tau
        criterion = settings.criterion
    }

    /// Attaches initializer scales and first-update ratios by layer name.
    public func with(scales: [String: Double] = [:], updateRatios: [String: Double] = [:]) -> ModelMeasurement {
        var copy = self
        copy.layers = layers.map { layer in
            var layer = layer
            layer.scale = scales[layer.name] ?? layer.scale
            if let ratio = updateRatios[layer.name] { layer.log10UpdateRatio = ratio }
            return layer
        }
        return copy
    }
}
