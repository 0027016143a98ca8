import Foundation

/// The shared engine of the learned schemes (initializers.md §1.2, the official RescaleAdam):
/// every parameter tensor keeps its initial direction W0_k and learns one scale α_k, by Adam
/// on the scalar gradient ∂obj/∂α_k = ⟨∂obj/∂W_k, W0_k⟩, clipped to [−clip, clip], with
/// separate first moments and step counts for constraint and objective steps, clamped to
/// [minimum, maximum]. Zero-norm tensors (zero biases, Fixup or ZerO zeros) never move.
public struct ScaleSearch {
    public struct Settings: Sendable {
        public var learningRate = 3e-3
        public var beta1 = 0.9
        public var beta2 = 0.999
        public var epsilon = 1e-8
        public var clip = 1.0
        public var minimumWeightScale = 0.01
        public var minimumOtherScale = 0.0
        public var maximumScale = Double.infinity
        /// Normalisation gains' own cap (the official transformer run: 100 on LayerNorm weights).
        public var maximumNormGainScale = Double.infinity
        /// One second-moment buffer for both kinds of step (the CIFAR code) or two (fairseq).
        public var sharedSecondMoment = true
        public init() {}
    }

    /// One iteration as the dashboard shows it.
    public struct Progress: Sendable {
        public let iteration: Int
        public let constraintStep: Bool
        /// The objective's named terms this iteration ("loss after step", "grad norm", "gradcosine").
        public let terms: [String: Double]
        public let scales: [String: Double]
    }

    public let settings: Settings
    let views: [ParameterStore.View]
    let directions: [Float]
    public private(set) var scales: [Double]
    private var firstMoment: [[Double]] = [[], []]  // [objective, constraint]
    private var secondMoment: [[Double]] = [[], []]
    private var steps = [0, 0]

    public init(store: ParameterStore, settings: Settings = Settings()) {
        self.settings = settings
        views = store.views
        directions = Array(UnsafeBufferPointer(start: store.values, count: store.count))
        scales = Array(repeating: 1, count: store.views.count)
        for kind in 0..<2 {
            firstMoment[kind] = Array(repeating: 0, count: views.count)
            secondMoment[kind] = Array(repeating: 0, count: views.count)
        }
    }

    /// ∂obj/∂α_k for each tensor, from the flat gradient of the objective with respect to θ.
    public func scalarGradients(_ gradient: [Float]) -> [Double] {
        views.map { view in
            var sum = 0.0
            for i in view.offset..<(view.offset + view.count) { sum += Double(gradient[i]) * Double(directions[i]) }
            return sum
        }
    }

    /// One Adam step on the scales, then the store's tensors rescaled to α_k·W0_k.
    public mutating func step(objectiveGradient gradient: [Float], constraint: Bool, store: ParameterStore) {
        let kind = constraint ? 1 : 0
        let secondKind = settings.sharedSecondMoment ? 0 : kind
        steps[kind] += 1
        let t = Double(steps[kind])
        // A shared second moment has seen every step of both kinds.
        let secondSteps = Double(settings.sharedSecondMoment ? steps[0] + steps[1] : steps[kind])
        let scalar = scalarGradients(gradient)
        for (k, view) in views.enumerated() {
            let directionNorm = (view.offset..<(view.offset + view.count)).reduce(0.0) {
                $0 + Double(directions[$1]) * Double(directions[$1])
            }
            guard directionNorm > 0 else { continue }
            let g = min(max(scalar[k], -settings.clip), settings.clip)
            firstMoment[kind][k] = settings.beta1 * firstMoment[kind][k] + (1 - settings.beta1) * g
            secondMoment[secondKind][k] = settings.beta2 * secondMoment[secondKind][k] + (1 - settings.beta2) * g * g
            let mHat = firstMoment[kind][k] / (1 - pow(settings.beta1, t))
            let vHat = secondMoment[secondKind][k] / (1 - pow(settings.beta2, secondSteps))
            let minimum = view.role == .weight ? settings.minimumWeightScale : settings.minimumOtherScale
            scales[k] = min(
                max(scales[k] - settings.learningRate * mHat / (vHat.squareRoot() + settings.epsilon), minimum),
                view.role == .normGain
                    ? min(settings.maximumScale, settings.maximumNormGainScale) : settings.maximumScale)
            let pointer = store.value(view)
            for i in 0..<view.count { pointer[i] = Float(scales[k]) * directions[view.offset + i] }
        }
    }

    public var scalesByName: [String: Double] { Dictionary(uniqueKeysWithValues: zip(views.map(\.name), scales)) }
}
