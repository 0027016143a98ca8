/// Every scheme's parameters: defaults, choices and ranges, as `emergent inits` lists them and
/// the parser checks them.
extension InitializerSpec {
    /// A parameter a scheme accepts: its default, and its choices or numeric range.
    public struct Parameter: Sendable {
        public let name: String
        public let defaultValue: String
        public let choices: [String]?
        public let range: ClosedRange<Double>?
        public let summary: String
        /// Counts (iterations, batch sizes, steps) accept whole numbers only.
        public var isInteger = false

        /// The valid values in words, as `emergent inits` and errors show them.
        public var rangeDescription: String? {
            guard let range else { return nil }
            let bounds =
                isInteger
                ? "\(Int(range.lowerBound))...\(Int(range.upperBound))" : "\(range.lowerBound)...\(range.upperBound)"
            return bounds + (defaultValue == "auto" ? " or auto" : "")
        }
    }

    static func choice(_ name: String, _ defaultValue: String, _ choices: [String], _ summary: String) -> Parameter {
        Parameter(name: name, defaultValue: defaultValue, choices: choices, range: nil, summary: summary)
    }

    static func number(
        _ name: String, _ defaultValue: String, _ range: ClosedRange<Double>, _ summary: String
    ) -> Parameter {
        Parameter(name: name, defaultValue: defaultValue, choices: nil, range: range, summary: summary)
    }

    static func count(
        _ name: String, _ defaultValue: String, _ range: ClosedRange<Double>, _ summary: String
    ) -> Parameter {
        Parameter(name: name, defaultValue: defaultValue, choices: nil, range: range, summary: summary, isInteger: true)
    }

    static let gainParameter = Parameter(
        name: "gain", defaultValue: "auto", choices: nil, range: 0.01...100,
        summary: "auto: from the model's activation (ReLU √2, tanh 5/3, GELU 1.5335, SiLU 1.6765), or a number")

    public static func parameters(of scheme: Scheme) -> [Parameter] {
        switch scheme {
        case .kaiming:
            [
                choice("distribution", "normal", ["normal", "uniform"], "weight distribution"),
                choice("mode", "fan_in", ["fan_in", "fan_out"], "which fan the variance divides by"),
                gainParameter,
            ]
        case .xavier:
            [
                choice("distribution", "uniform", ["normal", "uniform"], "weight distribution"),
                number("gain", "1", 0.01...100, "multiplies the standard deviation"),
            ]
        case .framework:
            []
        case .orthogonal:
            [
                gainParameter,
                choice("conv", "delta", ["delta", "flatten"], "convs: orthogonal centre tap, or the flattened kernel"),
            ]
        case .zero:
            [
                choice(
                    "normalization", "notebook", ZerO.Normalization.allCases.map(\.rawValue),
                    "Hadamard scale: notebook 2^(-m/2), or relu 2^(-(m-1)/2)")
            ]
        case .fractional:
            [
                number("s", "0.8", 0.1...2, "moment order preserved (0.8 for ReLU, 1 for leaky and linear)"),
                choice(
                    "activation", "auto", ["auto", "relu", "linear", "leaky_relu", "randomized_leaky_relu"],
                    "nonlinearity of the formula"),
                number("slope", "0.01", 0...1, "leaky ReLU slope"),
                number("lower", "0.125", 0...1, "randomized leaky ReLU: lower slope"),
                number("upper", "0.3333", 0...1, "randomized leaky ReLU: upper slope"),
                choice(
                    "distribution", "gaussian", ["gaussian", "student", "stable"],
                    "weights: Gaussian (the paper), Student-t or symmetric α-stable (extensions; stable calibrates on the probe)"
                ),
                number("nu", "4", 2.01...1000, "Student-t degrees of freedom (> 2)"),
                number(
                    "stable_alpha", "1.8", 0.1...2,
                    "α-stable index; s must be below it (at 1.5 the default MLP diverges at SGD lr 0.05)"),
            ]
        case .emergence:
            [
                number("alpha", "1.2", 0.01...100, "weights of depth index idx are multiplied by α^idx"),
                number("beta", "0", 0...1000, "if > 0, depth-normalised: α = β^(1/N), N the largest |idx|"),
                choice("base", "kaiming", ["kaiming", "xavier"], "the initialization that is rescaled"),
                choice(
                    "indexing", "auto", ["auto", "layer", "block"], "auto: blocks for transformers, layers otherwise"),
            ]
        case .lsuv:
            [
                number("tolerance", "0.1", 0.001...1, "stop when |variance − 1| is below this"),
                count("iterations", "10", 1...100, "most rescaling rounds per layer"),
            ]
        case .fixup, .tfixup:
            []
        case .gradinit:
            [
                choice(
                    "base", "kaiming", ["kaiming", "xavier", "default", "orthogonal"],
                    "the initialization whose scales are learned"),
                count("iterations", "100", 1...10_000, "search steps"),
                count("batch", "64", 4...4096, "samples in S (S̃ is half of S and a fresh half)"),
                choice(
                    "target", "sgd", GradInit.Target.allCases.map(\.rawValue),
                    "optimizer whose first step is optimized: sgd, or adam (sign step)"),
                choice("normalize", "true", ["true", "false"], "sgd target: step along g/‖g‖ (true) or g"),
                number("lr", "0.01", 1e-6...10, "Adam learning rate on the scales (τ)"),
                Parameter(
                    name: "eta", defaultValue: "auto", choices: nil, range: 1e-6...10,
                    summary: "target step size η; auto: 0.1 for sgd, 1e-3 for adam"),
                Parameter(
                    name: "gamma", defaultValue: "auto", choices: nil, range: 1e-3...1e9,
                    summary: "bound γ on ‖g‖₂ (sgd) or ‖g‖₁ (adam); auto: 1 for sgd, 1000 for adam"),
                number("min_scale", "0.01", 0...1, "smallest weight scale"),
            ]
        case .nio:
            [
                choice(
                    "base", "kaiming", ["kaiming", "xavier", "default", "orthogonal"],
                    "the initialization whose scales are learned"),
                count("iterations", "100", 1...10_000, "search steps"),
                count("batch", "64", 4...4096, "samples per step"),
                count("subbatches", "4", 2...16, "D sub-batches"),
                number("overlap", "0.2", 0...0.9, "overlap ratio r"),
                choice(
                    "indexing", "official", NIO.Overlap.allCases.map(\.rawValue),
                    "official (growing) or symmetric overlap"),
                number("lr", "0.003", 1e-6...10, "Adam learning rate on the scales"),
                number("gamma", "10", 1e-3...1e6, "bound on the mean sub-batch gradient norm"),
                number("lambda", "1", 0...100, "weight of Σ‖g_d‖ in the objective"),
                number("min_scale", "0.01", 0...1, "smallest weight scale"),
            ]
        case .metainit:
            [
                choice(
                    "base", "kaiming", ["kaiming", "xavier", "default", "orthogonal"],
                    "the initialization whose norms are learned"),
                count("iterations", "100", 1...10_000, "search steps"),
                count("batch", "32", 2...4096, "Gaussian inputs with random labels per step"),
                number("lr", "0.1", 1e-6...10, "norm step per iteration (times the sign)"),
                number("momentum", "0.9", 0...0.999, "momentum on the norm steps"),
                choice(
                    "derivative", "auto", ["auto"] + MetaInit.Derivative.allCases.map(\.rawValue),
                    "sign of ∂GQ: central (2 GQ per tensor), spsa (2 GQ per step); auto: central up to 10 tensors"),
            ]
        case .updater:
            [
                choice(
                    "base", "kaiming", ["kaiming", "xavier", "default", "orthogonal"],
                    "the initialization the updater starts from"),
                number(
                    "base_scale", "1", 0.01...100,
                    "every weight layer × this after the base (0.3: the mis-scaled check)"),
                count("warmup", "100", 1...100_000, "training steps during which h learns; then h is frozen"),
                number("lr", "0.01", 1e-6...1, "Adam learning rate of h"),
                count("hidden", "4", 1...64, "hidden tanh units of h (7 features in, one log-scale out)"),
                number("bound", "2.302585", 0.01...10, "largest |log-scale| h can output (ln 10: scales in 0.1...10)"),
                number("rate", "0.05", 0.001...1, "largest change of a layer's log-scale per step"),
                number("bonus", "0", 0...10, "λ: h lowers L − λ·ln E (ln E on the probe, slopes every 10 steps)"),
            ]
        case .weights:
            [
                Parameter(
                    name: "file", defaultValue: "", choices: nil, range: nil,
                    summary: "the .safetensors file (a path; no commas); its tensors must fit the run's model")
            ]
        }
    }
}
