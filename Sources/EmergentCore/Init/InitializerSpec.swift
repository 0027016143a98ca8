import Foundation

/// A parsed `NAME[:KEY=VALUE,...]` initializer choice, validated against the scheme's
/// parameters, their choices and ranges (`emergent inits` lists them all).
public struct InitializerSpec: Sendable, Hashable, CustomStringConvertible {
    public let scheme: Scheme
    public let options: [String: String]

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
                    throw .invalidValue(
                        scheme: scheme.rawValue, parameter: key, value: value,
                        expected: "one value; \(key) appears twice")
                }
                if let choices = parameter.choices, !choices.contains(value) {
                    throw .invalidValue(
                        scheme: scheme.rawValue, parameter: key, value: value,
                        expected: "one of \(choices.joined(separator: ", "))")
                }
                if let range = parameter.range, !(parameter.defaultValue == "auto" && value == "auto") {
                    guard let number = Double(value), number.isFinite, range.contains(number),
                        !parameter.isInteger || number == number.rounded()
                    else {
                        throw .invalidValue(
                            scheme: scheme.rawValue, parameter: key, value: value,
                            expected: (parameter.isInteger ? "a whole number in " : "a number in ") + parameter
                                .rangeDescription!)
                    }
                }
                options[key] = value
            }
        }
        self.scheme = scheme
        self.options = options
        if scheme == .weights, value("file").isEmpty {
            throw .invalidValue(
                scheme: scheme.rawValue, parameter: "file", value: "", expected: "the path of a .safetensors file")
        }
        if scheme == .fractional, number("lower") > number("upper") {
            throw .invalidValue(
                scheme: scheme.rawValue, parameter: "lower", value: value("lower"),
                expected: "a slope no larger than upper = \(value("upper"))")
        }
        if scheme == .nio, number("batch") < number("subbatches") {
            throw .invalidValue(
                scheme: scheme.rawValue, parameter: "batch", value: value("batch"),
                expected: "at least one sample per sub-batch: batch ≥ subbatches = \(value("subbatches"))")
        }
        if scheme == .emergence, number("beta") > 0, number("beta") < 0.01 {
            throw .invalidValue(
                scheme: scheme.rawValue, parameter: "beta", value: value("beta"),
                expected: "0 (off) or a factor in 0.01...1000 (smaller ones overflow the weights)")
        }
        if scheme == .fractional, value("distribution") == "stable", number("s") >= number("stable_alpha") {
            throw .invalidValue(
                scheme: scheme.rawValue, parameter: "s", value: value("s"),
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

    /// The same scheme with one option set, validated like typed text (a fork with α edited).
    public func setting(_ name: String, to value: String) throws(SpecError) -> InitializerSpec {
        var edited = options
        edited[name] = value
        return try InitializerSpec(
            parsing: scheme.rawValue + ":" + edited.keys.sorted().map { "\($0)=\(edited[$0]!)" }.joined(separator: ","))
    }

    /// A run's default name: the spec, but a weights file by its name only (`weights w.safetensors`).
    public var label: String {
        scheme == .weights ? "weights " + (value("file") as NSString).lastPathComponent : description
    }

    public var description: String {
        options.isEmpty
            ? scheme.rawValue
            : scheme.rawValue + ":" + options.keys.sorted().map { "\($0)=\(options[$0]!)" }.joined(separator: ",")
    }

    /// Odd K: −N…N; even K: −N…−1, 1…N (emergence.md §6.2).
    public static func symmetricIndices(count: Int) -> [Int] {
        let half = count / 2
        return count % 2 == 1 ? Array(-half...half) : Array(-half..<0) + Array(1...max(half, 1)).prefix(half)
    }
}
