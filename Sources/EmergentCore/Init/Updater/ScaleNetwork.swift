import Foundation

/// The weight updater's tiny MLP h (product.md §5): features → tanh hidden layer → one
/// log-scale, bounded to ±bound by bound·tanh(raw/bound). Its output layer starts at zero, so
/// a fresh h leaves every scale at 1. Trained by Adam on the gradient it is handed, in
/// Double: a few dozen parameters do not need Float kernels.
struct ScaleNetwork: Sendable, Equatable, Codable {
    let inputs: Int
    let hidden: Int
    let bound: Double
    /// [hidden × inputs] weights, hidden biases, hidden output weights, output bias.
    private(set) var parameters: [Double]
    private var firstMoment: [Double]
    private var secondMoment: [Double]
    private var steps = 0

    init(inputs: Int, hidden: Int, bound: Double, using generator: inout SeededRandom) {
        self.inputs = inputs
        self.hidden = hidden
        self.bound = bound
        let count = hidden * inputs + hidden + hidden + 1
        parameters = Array(repeating: 0, count: count)
        // Xavier-normal first layer so the hidden units start in tanh's linear range.
        let std = (2.0 / Double(inputs + hidden)).squareRoot()
        for i in 0..<(hidden * inputs) { parameters[i] = generator.normal(standardDeviation: std) }
        firstMoment = Array(repeating: 0, count: count)
        secondMoment = Array(repeating: 0, count: count)
    }

    var parameterCount: Int { parameters.count }

    /// Moves one parameter (finite-difference checks).
    mutating func perturb(_ index: Int, by amount: Double) { parameters[index] += amount }

    /// Hidden activations and the bounded output for one feature vector.
    func forward(_ features: [Double]) -> (hidden: [Double], raw: Double, output: Double) {
        var activations = [Double](repeating: 0, count: hidden)
        var raw = parameters[parameters.count - 1]
        for unit in 0..<hidden {
            var sum = parameters[hidden * inputs + unit]
            for input in 0..<inputs { sum += parameters[unit * inputs + input] * features[input] }
            activations[unit] = tanh(sum)
            raw += parameters[hidden * inputs + hidden + unit] * activations[unit]
        }
        return (activations, raw, bound * tanh(raw / bound))
    }

    /// ∂(Σ_r weight_r · h(features_r))/∂parameters.
    func gradient(features: [[Double]], outputWeights: [Double]) -> [Double] {
        var gradient = [Double](repeating: 0, count: parameters.count)
        let outputOffset = hidden * inputs + hidden
        for (row, weight) in zip(features, outputWeights) {
            let pass = forward(row)
            let boundedSlope = 1 - pow(tanh(pass.raw / bound), 2)
            let dRaw = weight * boundedSlope
            gradient[parameters.count - 1] += dRaw
            for unit in 0..<hidden {
                gradient[outputOffset + unit] += dRaw * pass.hidden[unit]
                let dPre = dRaw * parameters[outputOffset + unit] * (1 - pass.hidden[unit] * pass.hidden[unit])
                gradient[hidden * inputs + unit] += dPre
                for input in 0..<inputs { gradient[unit * inputs + input] += dPre * row[input] }
            }
        }
        return gradient
    }

    /// One Adam step that lowers the objective whose gradient is `gradient`.
    mutating func adamStep(_ gradient: [Double], learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.99) {
        steps += 1
        let correction1 = 1 - pow(beta1, Double(steps)), correction2 = 1 - pow(beta2, Double(steps))
        for i in parameters.indices {
            firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * gradient[i]
            secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * gradient[i] * gradient[i]
            parameters[i] -=
                learningRate * (firstMoment[i] / correction1) / ((secondMoment[i] / correction2).squareRoot() + 1e-12)
        }
    }
}
