/// `emergent inits`: every scheme with its parameters, defaults and valid values, as text
/// and as JSON.
public enum InitializerCatalog {
    public static var document: JSONValue {
        .array(
            InitializerSpec.Scheme.allCases.map { scheme in
                .object([
                    ("name", .string(scheme.rawValue)), ("summary", .string(scheme.summary)),
                    ("parameters", .array(InitializerSpec.parameters(of: scheme).map(parameterDocument))),
                ])
            })
    }

    static func parameterDocument(_ parameter: InitializerSpec.Parameter) -> JSONValue {
        var entry: [(key: String, value: JSONValue)] = [
            ("name", .string(parameter.name)), ("default", .string(parameter.defaultValue)),
            ("summary", .string(parameter.summary)),
        ]
        if let choices = parameter.choices { entry.append(("choices", .array(choices.map { .string($0) }))) }
        if let range = parameter.range {
            entry.append(("range", .array([.number(range.lowerBound), .number(range.upperBound)])))
            entry.append(("integer", .bool(parameter.isInteger)))
        }
        return .object(entry)
    }

    public static var text: String {
        var lines: [String] = []
        for scheme in InitializerSpec.Scheme.allCases {
            lines.append("\(scheme.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(scheme.summary)")
            for parameter in InitializerSpec.parameters(of: scheme) {
                let valid = parameter.choices.map { $0.joined(separator: "|") } ?? parameter.rangeDescription ?? ""
                lines.append(
                    "    \(parameter.name)=\(parameter.defaultValue)".padding(toLength: 30, withPad: " ", startingAt: 0)
                        + " \(valid.padding(toLength: 44, withPad: " ", startingAt: 0)) \(parameter.summary)")
            }
        }
        lines.append("\nUse as --init NAME[:KEY=VALUE,...], e.g. --init emergence:alpha=1.5,base=xavier")
        return lines.joined(separator: "\n")
    }
}
