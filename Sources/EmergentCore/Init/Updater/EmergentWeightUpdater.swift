import Foundation
import Kernels

/// The emergent weight updater (product.md §5): a tiny MLP h reads one feature vector per
/// weight layer and outputs that layer's log-scale; for the first `warmupSteps` steps the
/// main network trains normally while h learns from the hypergradient ⟨∂L/∂W_l, W_l⟩ (the
/// derivative of the loss with respect to layer l's log-scale), then h is frozen.
///
/// What keeps it stable (the spec leaves it open, DECISIONS.md records it): the hypergradient
/// vector is normalised to unit RMS over layers each step, so h's Adam sees the direction
/// across layers, not the loss's scale, which spans orders of magnitude between a
/// mis-scaled and a healthy network; log-scales are bounded by ±bound·tanh; and the applied
/// log-scale follows h's output at most `rate` per step, so a jump of h cannot throw the
/// main network (and its momentum) into divergence.
public final class EmergentWeightUpdater {
    public struct Settings: Sendable, Equatable {
        public var warmupSteps = 100
        public var learningRate = 0.01
        public var hiddenUnits = 4
        public var bound = log(10.0)
        public var rate = 0.05
        /// τ of the active fraction feature and of the emergence bonus.
        public var tau = EmergenceSettings.defaultTau
        /// λ of the optional bonus: h then lowers L − λ·ln E, ln E on the probe.
        public var emergenceBonus = 0.0
        /// The bonus's slopes ∂ln E/∂s_l are re-measured every this many steps (2 probe passes per layer).
        public var bonusEvery = 10
        /// Log-scale step of the central differences of ln E.
        public var bonusStep = 0.1
        public init() {}
    }

    /// One warm-up step as the dashboard shows it.
    public struct Progress: Sendable, Equatable {
        public let step: Int
        public let loss: Double
        /// ⟨∂L/∂W_l, W_l⟩ per layer, before normalisation.
        public let hypergradients: [Double]
        /// The cumulative factor each layer's weights carry, by layer name.
        public let scales: [String: Double]
        /// ln E on the probe at the last bonus measurement (nil without the bonus).
        public let logEmergence: Double?
    }

    public static let featureNames = [
        "relative depth", "log10 fan-in / 3", "log10 fan-out / 3", "log10 (weight std·√fan-in)",
        "log10 activation std", "active fraction", "log10 gradient norm",
    ]

    public let settings: Settings
    private let layers: [WeightLayer]
    private let store: ParameterStore
    private var network: ScaleNetwork
    private let probe: (() -> Void)?
    private let signals: SignalMap
    private(set) var emergenceSlopes: [Double] = []
    private var logEmergence: Double?
    /// The log-scale applied so far to each layer.
    public private(set) var logScales: [Double]
    public private(set) var step = 0
    /// Time spent in the updater itself (features, h, rescaling, the bonus's probe passes).
    public private(set) var seconds = 0.0
    /// Probe passes the emergence bonus used.
    public private(set) var probeForwards = 0

    /// `probe` runs a forward pass over the experiment's probe batch; the bonus needs it.
    public init(
        model: some ClassifierModel, settings: Settings = Settings(), probe: (() -> Void)? = nil,
        using generator: inout SeededRandom
    ) {
        precondition(settings.emergenceBonus == 0 || probe != nil, "the emergence bonus needs a probe")
        self.settings = settings
        self.probe = probe
        layers = model.weightLayers
        store = model.store
        signals = SignalMap(classifier: model)
        network = ScaleNetwork(
            inputs: Self.featureNames.count, hidden: settings.hiddenUnits, bound: settings.bound, using: &generator)
        logScales = Array(repeating: 0, count: layers.count)
    }

    /// Everything the updater carries from step to step (h, its Adam moments, the applied
    /// scales, the warm-up's progress): what a checkpoint keeps.
    public struct State: Sendable, Equatable, Codable {
        var network: ScaleNetwork
        var emergenceSlopes: [Double]
        var logEmergence: Double?
        var logScales: [Double]
        var step: Int
        var seconds: Double
        var probeForwards: Int
    }

    public var state: State {
        State(
            network: network, emergenceSlopes: emergenceSlopes, logEmergence: logEmergence, logScales: logScales,
            step: step, seconds: seconds, probeForwards: probeForwards)
    }

    /// Takes a checkpoint's state; false, and nothing changes, when it is another model's.
    @discardableResult
    public func restore(_ state: State) -> Bool {
        guard state.logScales.count == logScales.count, state.network.parameterCount == network.parameterCount else {
            return false
        }
        network = state.network
        emergenceSlopes = state.emergenceSlopes
        logEmergence = state.logEmergence
        logScales = state.logScales
        step = state.step
        seconds = state.seconds
        probeForwards = state.probeForwards
        return true
    }

    public var isWarmingUp: Bool { step < settings.warmupSteps }
    public var parameterCount: Int { network.parameterCount }

    public var scales: [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(layers.map(\.name), logScales.map { exp($0) }))
    }

    /// Call after the backward pass and before the optimizer step, with the batch loss: trains
    /// h on this step's hypergradient and applies its new scales. Nil once h is frozen.
    @discardableResult
    public func observe(loss: Double) -> Progress? {
        guard isWarmingUp else { return nil }
        step += 1
        let start = ThreadCPUClock.seconds()
        defer { seconds += ThreadCPUClock.seconds() - start }
        let features = layers.indices.map(self.features(of:))
        let hypergradients = layers.map { layer in
            let weights = store.value(layer.weight), gradients = store.gradient(layer.weight)
            var sum = 0.0
            for i in 0..<layer.weight.count { sum += Double(weights[i]) * Double(gradients[i]) }
            return sum
        }
        // A diverged step teaches h nothing and must not move the scales.
        guard loss.isFinite, features.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            return Progress(
                step: step, loss: loss, hypergradients: hypergradients, scales: scales, logEmergence: logEmergence)
        }
        var objective = Self.unitRMS(hypergradients)
        if settings.emergenceBonus > 0 {
            if (step - 1) % settings.bonusEvery == 0 { measureEmergenceSlopes() }
            for (index, slope) in Self.unitRMS(emergenceSlopes).enumerated() {
                objective[index] -= settings.emergenceBonus * slope
            }
        }
        if objective.contains(where: { $0 != 0 }) {
            network.adamStep(
                network.gradient(features: features, outputWeights: objective), learningRate: settings.learningRate)
        }
        for (index, layer) in layers.enumerated() {
            let target = network.forward(features[index]).output
            guard target.isFinite else { continue }
            let change = min(max(target - logScales[index], -settings.rate), settings.rate)
            guard change != 0 else { continue }
            logScales[index] += change
            store.scale(layer.weight, by: exp(change))
        }
        return Progress(
            step: step, loss: loss, hypergradients: hypergradients, scales: scales, logEmergence: logEmergence)
    }

    /// `values` divided by their RMS (zeros when all are zero or any is not finite).
    static func unitRMS(_ values: [Double]) -> [Double] {
        let rms = (values.reduce(0) { $0 + $1 * $1 } / Double(max(values.count, 1))).squareRoot()
        guard rms > 0, rms.isFinite else { return values.map { _ in 0 } }
        return values.map { $0 / rms }
    }

    /// ∂ln E/∂s_l by central differences on the probe: each layer's weights × e^(±δ) in turn,
    /// restored exactly from a copy. Probe passes leave running statistics alone.
    func measureEmergenceSlopes() {
        guard let probe else { return }
        let settings = try! EmergenceSettings(tau: self.settings.tau)
        func logE() -> Double {
            probe()
            probeForwards += 1
            return ModelMeasurement(map: signals, store: store, settings: settings).log10E * M_LN10
        }
        logEmergence = logE()
        let delta = self.settings.bonusStep
        emergenceSlopes = layers.map { layer in
            let weights = store.value(layer.weight)
            let saved = Array(UnsafeBufferPointer(start: weights, count: layer.weight.count))
            var sides: [Double] = []
            for sign in [1.0, -1.0] {
                let factor = Float(exp(sign * delta))
                for i in saved.indices { weights[i] = saved[i] * factor }
                sides.append(logE())
            }
            for i in saved.indices { weights[i] = saved[i] }
            // ln E is −∞ when a layer has no active node; such a side carries no slope.
            return sides.allSatisfy(\.isFinite) ? (sides[0] - sides[1]) / (2 * delta) : 0
        }
    }

    /// h's inputs for layer `index`, from the last training forward and backward pass; logs
    /// are clamped to ±5 so a dead or exploding layer cannot saturate h.
    func features(of index: Int) -> [Double] {
        let layer = layers[index]
        let fanOut = layer.weight.shape[0], fanIn = layer.weight.count / max(fanOut, 1)
        let weightStd = ClosedFormInit.standardDeviation(store.value(layer.weight), layer.weight.count)
        let gradients = UnsafeBufferPointer(start: store.gradient(layer.weight), count: layer.weight.count)
        let gradientNorm = gradients.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let activity = NodeActivity(layer.signal.lastOutput)
        let active =
            Double(activity.meanMagnitude.filter { $0 > settings.tau }.count)
            / Double(max(activity.meanMagnitude.count, 1))
        func clampedLog(_ value: Double) -> Double { min(max(log10(max(value, 1e-30)), -5), 5) }
        return [
            layers.count > 1 ? Double(index) / Double(layers.count - 1) : 0,
            log10(Double(fanIn)) / 3, log10(Double(fanOut)) / 3,
            clampedLog(weightStd * Double(fanIn).squareRoot()),
            clampedLog(activity.standardDeviation), active, clampedLog(gradientNorm),
        ]
    }
}
