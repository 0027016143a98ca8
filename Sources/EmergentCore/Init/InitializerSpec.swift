import Foundation

/// A parsed `NAME[:KEY=VALUE,...]` initializer choice, validated against the scheme's
/// parameters and their ranges.
public struct InitializerSpec: Sendable, Hashable, CustomStringConvertible {
    public let scheme: Scheme
    public let options: [String: String]

    public enum Scheme: String, Sendable, CaseIterable {
        case kaiming, xavier, framework = "default", emergence
    }

    /// A parameter a scheme accepts: its default and, for numbers, its valid range.
    public struct Parameter: Sendable {
        public let name: String
        public let defaultValue: String
        public let choices: [String]?
        public let range: ClosedRange<Double>?
        public let summary: String
    }

    public static func parameters(of scheme: Scheme) -> [Parameter] {
        switch scheme {
        case .kaiming:
            [Parameter(name: "distribution", defaultValue: "normal", choices: ["normal", "uniform"], range: nil, summary: "weight distribution"),
             Parameter(name: "mode", defaultValue: "fan_in", choices: ["fan_in", "fan_out"], range: nil, summary: "which fan the variance divides by"),
             Parameter(name: "gain", defaultValue: "1.41421356", choices: nil, range: 0.01...100, summary: "√2 for ReLU")]
        case .xavier:
            [Parameter(name: "distribution", defaultValue: "uniform", choices: ["normal", "uniform"], range: nil, summary: "weight distribution"),
             Parameter(name: "gain", defaultValue: "1", choices: nil, range: 0.01...100, summary: "multiplies the standard deviation")]
        case .framework:
            []
        case .emergence:
            [Parameter(name: "alpha", defaultValue: "1.2", choices: nil, range: 0.01...100, summary: "weights of depth index idx are multiplied by α^idx"),
             Parameter(name: "base", defaultValue: "kaiming", choices: ["kaiming", "xavier"], range: nil, summary: "the initialization that is rescaled")]
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
                if let choices = parameter.choices, !choices.contains(value) {
                    throw .invalidValue(scheme: scheme.rawValue, parameter: key, value: value, expected: "one of \(choices.joined(separator: ", "))")
                }
                if let range = parameter.range {
                    guard let number = Double(value), number.isFinite, range.contains(number) else {
                        throw .invalidValue(scheme: scheme.rawValue, parameter: key, value: value,
                                            expected: "a number in \(range.lowerBound)...\(range.upperBound)")
                    }
                }
                options[key] = value
            }
        }
        self.scheme = scheme
        self.options = options
    }

    func value(_ name: String) -> String {
        options[name] ?? Self.parameters(of: scheme).first { $0.name == name }!.defaultValue
    }

    func number(_ name: String) -> Double { Double(value(name))! }

    public var description: String {
        options.isEmpty ? scheme.rawValue
            : scheme.rawValue + ":" + options.keys.sorted().map { "\($0)=\(options[$0]!)" }.joined(separator: ",")
    }

    /// Initializes every parameter of `model`; returns the scale each depth group got
    /// relative to the base scheme (1 except for emergence).
    @discardableResult
    public func apply(to model: some InitTarget, using generator: inout SeededRandom) -> [String: Double] {
        let store = model.store
        switch scheme {
        case .emergence:
            let base = try! InitializerSpec(parsing: value("base"))
            base.apply(to: model, using: &generator)
            let alpha = number("alpha")
            var scales: [String: Double] = [:]
            let groups = model.depthGroups
            for (group, index) in zip(groups, Self.symmetricIndices(count: groups.count)) {
                let scale = pow(alpha, Double(index))
                scales[group.name] = scale
                for view in group.weights {
                    let pointer = store.value(view)
                    for i in 0..<view.count { pointer[i] *= Float(scale) }
                }
            }
            return scales
        case .kaiming, .xavier, .framework:
            for view in store.views {
                let pointer = store.value(view)
                var local = generator.split()
                switch view.role {
                case .bias, .normBias: pointer.update(repeating: 0, count: view.count)
                case .normGain: pointer.update(repeating: 1, count: view.count)
                case .embedding: for i in 0..<view.count { pointer[i] = Float(local.normal()) }
                case .weight:
                    let receptive = view.shape.dropFirst(2).reduce(1, *)
                    let fanIn = Double(view.shape.count > 1 ? view.shape[1] * receptive : view.shape[0])
                    let fanOut = Double(view.shape[0] * receptive)
                    let (std, uniform) = standardDeviation(fanIn: fanIn, fanOut: fanOut)
                    let bound = std * 3.0.squareRoot()
                    for i in 0..<view.count {
                        pointer[i] = Float(uniform ? local.uniform(-bound, bound) : local.normal(standardDeviation: std))
                    }
                }
            }
            return Dictionary(uniqueKeysWithValues: model.depthGroups.map { ($0.name, 1.0) })
        }
    }

    /// Standard deviation of a weight and whether it is drawn uniformly (bound √3·std).
    func standardDeviation(fanIn: Double, fanOut: Double) -> (Double, Bool) {
        switch scheme {
        case .kaiming:
            let fan = value("mode") == "fan_in" ? fanIn : fanOut
            return (number("gain") / fan.squareRoot(), value("distribution") == "uniform")
        case .xavier:
            return (number("gain") * (2 / (fanIn + fanOut)).squareRoot(), value("distribution") == "uniform")
        case .framework:
            return (1 / (3 * fanIn).squareRoot(), true)  // uniform ±1/√fan_in
        case .emergence:
            preconditionFailure("emergence rescales a base scheme")
        }
    }

    /// Odd K: −N…N; even K: −N…−1, 1…N (emergence.md §6.2).
    public static func symmetricIndices(count: Int) -> [Int] {
        let half = count / 2
        return count % 2 == 1 ? Array(-half...half) : Array(-half..<0) + Array(1...max(half, 1)).prefix(half)
    }
}
