import Foundation

/// A parsed `NAME[:KEY=VALUE,...]` initializer choice, validated against the scheme's
/// parameters, their choices and ranges (`emergent inits` lists them all).
public struct InitializerSpec: Sendable, Hashable, CustomStringConvertible {
    public let scheme: Scheme
    public let options: [String: String]

    public enum Scheme: String, Sendable, CaseIterable {
        case kaiming, xavier, framework = "default", orthogonal, zero, fractional, emergence, lsuv, fixup, tfixup, gradinit, nio, metainit, updater

        public var summary: String {
            switch self {
            case .kaiming: "He et al. 2015: std = gain/√fan, gain from the activation (GELU: fixed point 1.5335)"
            case .xavier: "Glorot and Bengio 2010: variance gain²·2/(fan_in + fan_out)"
            case .framework: "PyTorch's default for Linear/Conv: uniform ±1/√fan_in"
            case .orthogonal: "Saxe et al. 2014: Haar-orthogonal weights × gain; convs flattened or delta-orthogonal"
            case .zero: "Zhao et al. 2022 (ZerO): identity or Hadamard matrices, deterministic; convs on the centre tap"
            case .fractional: "Gurbuzbalaban and Hu 2021: σ that preserves the s-th moment of ‖x‖, exact; Student-t extension"
            case .emergence: "emergence-promoting: base scheme, then weights of depth index idx × α^idx (symmetric indices)"
            case .lsuv: "Mishkin and Matas 2016: orthogonal, then each layer rescaled to unit output variance on the probe"
            case .fixup: "Zhang et al. 2019: zero the classifier and each residual branch's last layer, He elsewhere"
            case .tfixup: "Huang et al. 2020 (T-Fixup): Xavier, embeddings N(0, d^-1/2), blocks scaled by depth"
            case .gradinit: "Zhu et al. 2021: per-tensor scales so one SGD step lowers the loss most, ‖g‖ ≤ γ (learned)"
            case .nio: "Yang et al. 2022 (GradCosine): per-tensor scales aligning sub-batch gradients, norm bounded (learned)"
            case .metainit: "Dauphin and Schoenholz 2019: weight norms that lower the gradient quotient, data-free (learned)"
            case .updater: "emergent weight updater: a tiny MLP learns per-layer log-scales from ⟨∂L/∂W, W⟩ during warm-up (learned)"
            }
        }
    }

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
            let bounds = isInteger ? "\(Int(range.lowerBound))...\(Int(range.upperBound))" : "\(range.lowerBound)...\(range.upperBound)"
            return bounds + (defaultValue == "auto" ? " or auto" : "")
        }
    }

    static func choice(_ name: String, _ defaultValue: String, _ choices: [String], _ summary: String) -> Parameter {
        Parameter(name: name, defaultValue: defaultValue, choices: choices, range: nil, summary: summary)
    }

    static func number(_ name: String, _ defaultValue: String, _ range: ClosedRange<Double>, _ summary: String) -> Parameter {
        Parameter(name: name, defaultValue: defaultValue, choices: nil, range: range, summary: summary)
    }

    static func count(_ name: String, _ defaultValue: String, _ range: ClosedRange<Double>, _ summary: String) -> Parameter {
        Parameter(name: name, defaultValue: defaultValue, choices: nil, range: range, summary: summary, isInteger: true)
    }

    static let gainParameter = Parameter(name: "gain", defaultValue: "auto", choices: nil, range: 0.01...100,
                                         summary: "auto: from the model's activation (ReLU √2, tanh 5/3, GELU 1.5335, SiLU 1.6765), or a number")

    public static func parameters(of scheme: Scheme) -> [Parameter] {
        switch scheme {
        case .kaiming:
            [choice("distribution", "normal", ["normal", "uniform"], "weight distribution"),
             choice("mode", "fan_in", ["fan_in", "fan_out"], "which fan the variance divides by"),
             gainParameter]
        case .xavier:
            [choice("distribution", "uniform", ["normal", "uniform"], "weight distribution"),
             number("gain", "1", 0.01...100, "multiplies the standard deviation")]
        case .framework:
            []
        case .orthogonal:
            [gainParameter, choice("conv", "delta", ["delta", "flatten"], "convs: orthogonal centre tap, or the flattened kernel")]
        case .zero:
            [choice("normalization", "notebook", ZerO.Normalization.allCases.map(\.rawValue),
                    "Hadamard scale: notebook 2^(-m/2), or relu 2^(-(m-1)/2)")]
        case .fractional:
            [number("s", "0.8", 0.1...2, "moment order preserved (0.8 for ReLU, 1 for leaky and linear)"),
             choice("activation", "auto", ["auto", "relu", "linear", "leaky_relu", "randomized_leaky_relu"], "nonlinearity of the formula"),
             number("slope", "0.01", 0...1, "leaky ReLU slope"),
             number("lower", "0.125", 0...1, "randomized leaky ReLU: lower slope"),
             number("upper", "0.3333", 0...1, "randomized leaky ReLU: upper slope"),
             choice("distribution", "gaussian", ["gaussian", "student", "stable"],
                    "weights: Gaussian (the paper), Student-t or symmetric α-stable (extensions; stable calibrates on the probe)"),
             number("nu", "4", 2.01...1000, "Student-t degrees of freedom (> 2)"),
             number("stable_alpha", "1.8", 0.1...2, "α-stable index; s must be below it (at 1.5 the default MLP diverges at SGD lr 0.05)")]
        case .emergence:
            [number("alpha", "1.2", 0.01...100, "weights of depth index idx are multiplied by α^idx"),
             number("beta", "0", 0...1000, "if > 0, depth-normalised: α = β^(1/N), N the largest |idx|"),
             choice("base", "kaiming", ["kaiming", "xavier"], "the initialization that is rescaled"),
             choice("indexing", "auto", ["auto", "layer", "block"], "auto: blocks for transformers, layers otherwise")]
        case .lsuv:
            [number("tolerance", "0.1", 0.001...1, "stop when |variance − 1| is below this"),
             count("iterations", "10", 1...100, "most rescaling rounds per layer")]
        case .fixup, .tfixup:
            []
        case .gradinit:
            [choice("base", "kaiming", ["kaiming", "xavier", "default", "orthogonal"], "the initialization whose scales are learned"),
             count("iterations", "100", 1...10_000, "search steps"),
             count("batch", "64", 4...4096, "samples in S (S̃ is half of S and a fresh half)"),
             choice("target", "sgd", GradInit.Target.allCases.map(\.rawValue), "optimizer whose first step is optimized: sgd, or adam (sign step)"),
             choice("normalize", "true", ["true", "false"], "sgd target: step along g/‖g‖ (true) or g"),
             number("lr", "0.01", 1e-6...10, "Adam learning rate on the scales (τ)"),
             Parameter(name: "eta", defaultValue: "auto", choices: nil, range: 1e-6...10,
                       summary: "target step size η; auto: 0.1 for sgd, 1e-3 for adam"),
             Parameter(name: "gamma", defaultValue: "auto", choices: nil, range: 1e-3...1e9,
                       summary: "bound γ on ‖g‖₂ (sgd) or ‖g‖₁ (adam); auto: 1 for sgd, 1000 for adam"),
             number("min_scale", "0.01", 0...1, "smallest weight scale")]
        case .nio:
            [choice("base", "kaiming", ["kaiming", "xavier", "default", "orthogonal"], "the initialization whose scales are learned"),
             count("iterations", "100", 1...10_000, "search steps"),
             count("batch", "64", 4...4096, "samples per step"),
             count("subbatches", "4", 2...16, "D sub-batches"),
             number("overlap", "0.2", 0...0.9, "overlap ratio r"),
             choice("indexing", "official", NIO.Overlap.allCases.map(\.rawValue), "official (growing) or symmetric overlap"),
             number("lr", "0.003", 1e-6...10, "Adam learning rate on the scales"),
             number("gamma", "10", 1e-3...1e6, "bound on the mean sub-batch gradient norm"),
             number("lambda", "1", 0...100, "weight of Σ‖g_d‖ in the objective"),
             number("min_scale", "0.01", 0...1, "smallest weight scale")]
        case .metainit:
            [choice("base", "kaiming", ["kaiming", "xavier", "default", "orthogonal"], "the initialization whose norms are learned"),
             count("iterations", "100", 1...10_000, "search steps"),
             count("batch", "32", 2...4096, "Gaussian inputs with random labels per step"),
             number("lr", "0.1", 1e-6...10, "norm step per iteration (times the sign)"),
             number("momentum", "0.9", 0...0.999, "momentum on the norm steps"),
             choice("derivative", "auto", ["auto"] + MetaInit.Derivative.allCases.map(\.rawValue),
                    "sign of ∂GQ: central (2 GQ per tensor), spsa (2 GQ per step); auto: central up to 10 tensors")]
        case .updater:
            [choice("base", "kaiming", ["kaiming", "xavier", "default", "orthogonal"], "the initialization the updater starts from"),
             number("base_scale", "1", 0.01...100, "every weight layer × this after the base (0.3: the mis-scaled check)"),
             count("warmup", "100", 1...100_000, "training steps during which h learns; then h is frozen"),
             number("lr", "0.01", 1e-6...1, "Adam learning rate of h"),
             count("hidden", "4", 1...64, "hidden tanh units of h (7 features in, one log-scale out)"),
             number("bound", "2.302585", 0.01...10, "largest |log-scale| h can output (ln 10: scales in 0.1...10)"),
             number("rate", "0.05", 0.001...1, "largest change of a layer's log-scale per step"),
             number("bonus", "0", 0...10, "λ: h lowers L − λ·ln E (ln E on the probe, slopes every 10 steps)")]
        }
    }

    public enum SpecError: Error, Equatable, CustomStringConvertible {
        case unknownScheme(String)
        case unknownParameter(scheme: String, parameter: String, valid: [String])
        case invalidValue(scheme: String, parameter: String, value: String, expected: String)
        case malformed(String)

        public var description: String {
            switch self {
            case let .unknownScheme(name):
                "unknown initializer '\(name)'; choose one of: \(Scheme.allCases.map(\.rawValue).joined(separator: ", "))"
            case let .unknownParameter(scheme, parameter, valid):
                "initializer '\(scheme)' has no parameter '\(parameter)'; "
                    + (valid.isEmpty ? "it takes none" : "valid: \(valid.joined(separator: ", "))")
            case let .invalidValue(scheme, parameter, value, expected):
                "\(scheme): \(parameter)=\(value) is not valid; expected \(expected)"
            case let .malformed(text):
                "'\(text)' is not NAME[:KEY=VALUE,...] (e.g. emergence:alpha=1.2,base=kaiming)"
            }
        }
    }

    public init(parsing text: String) throws(SpecError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty else { throw .malformed(text) }
        guard let scheme = Scheme(rawValue: String(first)) else { throw .unknownScheme(String(first)) }
        var options: [String: String] = [:]
        let known = Self.parameters(of: scheme)
        if parts.count == 2 {
            for pair in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard keyValue.count == 2, !keyValue[0].isEmpty else { throw .malformed(text) }
                let key = String(keyValue[0]), value = String(keyValue[1])
                guard let parameter = known.first(where: { $0.name == key }) else {
                    throw .unknownParameter(scheme: scheme.rawValue, parameter: key, valid: known.map(\.name))
                }
                guard options[key] == nil else {
                    throw .invalidValue(scheme: scheme.rawValue, parameter: key, value: value, expected: "one value; \(key) appears twice")
                }
                if let choices = parameter.choices, !choices.contains(value) {
                    throw .invalidValue(scheme: scheme.rawValue, parameter: key, value: value, expected: "one of \(choices.joined(separator: ", "))")
                }
                if let range = parameter.range, !(parameter.defaultValue == "auto" && value == "auto") {
                    guard let number = Double(value), number.isFinite, range.contains(number),
                          !parameter.isInteger || number == number.rounded() else {
                        throw .invalidValue(scheme: scheme.rawValue, parameter: key, value: value, expected: (parameter.isInteger ? "a whole number in " : "a number in ") + parameter.rangeDescription!)
                    }
                }
                options[key] = value
            }
        }
        self.scheme = scheme
        self.options = options
        if scheme == .fractional, number("lower") > number("upper") {
            throw .invalidValue(scheme: scheme.rawValue, parameter: "lower", value: value("lower"),
                                expected: "a slope no larger than upper = \(value("upper"))")
        }
        if scheme == .nio, number("batch") < number("subbatches") {
            throw .invalidValue(scheme: scheme.rawValue, parameter: "batch", value: value("batch"),
                                expected: "at least one sample per sub-batch: batch ≥ subbatches = \(value("subbatches"))")
        }
        if scheme == .emergence, number("beta") > 0, number("beta") < 0.01 {
            throw .invalidValue(scheme: scheme.rawValue, parameter: "beta", value: value("beta"),
                                expected: "0 (off) or a factor in 0.01...1000 (smaller ones overflow the weights)")
        }
        if scheme == .fractional, value("distribution") == "stable", number("s") >= number("stable_alpha") {
            throw .invalidValue(scheme: scheme.rawValue, parameter: "s", value: value("s"),
                                expected: "a number below stable_alpha = \(value("stable_alpha")) (E|X|^s is infinite for s ≥ α)")
        }
    }

    /// Whether applying the scheme reads data or searches (LSUV, the learned schemes, the
    /// α-stable calibration): it may take seconds, and shows progress.
    public var isDataDriven: Bool {
        switch scheme {
        case .lsuv, .gradinit, .nio, .metainit: true
        case .fractional: value("distribution") == "stable"
        default: false
        }
    }

    func value(_ name: String) -> String {
        options[name] ?? Self.parameters(of: scheme).first { $0.name == name }!.defaultValue
    }

    func number(_ name: String) -> Double { Double(value(name))! }

    /// The gain option: a number, or the standard gain of the model's activation.
    func gain(for model: some InitTarget) -> Double {
        value("gain") == "auto" ? Gains.standard(for: model.nonlinearity) : number("gain")
    }

    public var description: String {
        options.isEmpty ? scheme.rawValue
            : scheme.rawValue + ":" + options.keys.sorted().map { "\($0)=\(options[$0]!)" }.joined(separator: ",")
    }

    /// Training samples for learned schemes: `draw(i, size)` returns the i-th batch of `size`
    /// (inputs and labels) from the run's training data, the same for every run of an experiment.
    public typealias TrainingBatches = (Int, Int) -> (Tensor, [Int])
    /// The transformer's: the i-th batch of `size` sentence pairs.
    public typealias TranslationBatches = (Int, Int) -> TranslationBatch

    /// Initializes every parameter of `model`. `probe` runs one forward pass over the
    /// experiment's probe batch (in probe mode); data-driven schemes need it, learned ones
    /// also `batches`; `progress` sees every search step.
    @discardableResult
    public func apply(to model: some InitTarget, using generator: inout SeededRandom,
                      probe: (() -> Void)? = nil, batches: TrainingBatches? = nil, translationBatches: TranslationBatches? = nil,
                      progress: (ScaleSearch.Progress) -> Void = { _ in }) throws(InitError) -> InitReport {
        let start = ContinuousClock.now
        var report = try applyScheme(to: model, using: &generator, probe: probe, batches: batches,
                                     translationBatches: translationBatches, progress: progress)
        report.seconds = (ContinuousClock.now - start).seconds
        return report
    }

    private func applyScheme(to model: some InitTarget, using generator: inout SeededRandom, probe: (() -> Void)?,
                             batches: TrainingBatches?, translationBatches: TranslationBatches?,
                             progress: (ScaleSearch.Progress) -> Void) throws(InitError) -> InitReport {
        switch scheme {
        case .updater: return try WeightUpdaterInit.apply(self, to: model, using: &generator)
        case .gradinit, .nio, .metainit:
            return try LearnedInit.apply(self, to: model, using: &generator, batches: batches, translationBatches: translationBatches,
                                         progress: progress)
        case .emergence: return try EmergencePromoting.apply(self, to: model, using: &generator)
        case .lsuv:
            guard let probe else { throw .needsProbe(scheme: scheme.rawValue) }
            return LSUV.apply(self, to: model, using: &generator, probe: probe)
        case .fixup: return try Fixup.apply(to: model, using: &generator)
        case .tfixup: return try TFixup.apply(to: model, using: &generator)
        case .fractional where value("distribution") == "stable":
            guard let probe else { throw .needsProbe(scheme: scheme.rawValue) }
            return try StableFractional.apply(self, to: model, using: &generator, probe: probe)
        case .kaiming, .xavier, .framework, .orthogonal, .zero, .fractional:
            return ClosedFormInit.apply(self, to: model, using: &generator)
        }
    }

    /// Odd K: −N…N; even K: −N…−1, 1…N (emergence.md §6.2).
    public static func symmetricIndices(count: Int) -> [Int] {
        let half = count / 2
        return count % 2 == 1 ? Array(-half...half) : Array(-half..<0) + Array(1...max(half, 1)).prefix(half)
    }
}
