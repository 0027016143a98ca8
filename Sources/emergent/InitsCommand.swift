import ArgumentParser
import EmergentCore
import Foundation

struct InitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inits",
        abstract: "List every initialization scheme with its parameters, defaults and valid ranges.")

    @Flag(help: "Print JSON instead of a list.")
    var json = false

    func run() throws {
        let schemes = InitializerSpec.Scheme.allCases
        if json {
            let document = JSONValue.array(
                schemes.map { scheme in
                    .object([
                        ("name", .string(scheme.rawValue)), ("summary", .string(scheme.summary)),
                        (
                            "parameters",
                            .array(
                                InitializerSpec.parameters(of: scheme).map { parameter in
                                    var entry: [(key: String, value: JSONValue)] = [
                                        ("name", .string(parameter.name)), ("default", .string(parameter.defaultValue)),
                                        ("summary", .string(parameter.summary)),
                                    ]
                                    if let choices = parameter.choices {
                                        entry.append(("choices", .array(choices.map { .string($0) })))
                                    }
                                    if let range = parameter.range {
                                        entry.append(
                                            ("range", .array([.number(range.lowerBound), .number(range.upperBound)])))
                                        entry.append(("integer", .bool(parameter.isInteger)))
                                    }
                                    return .object(entry)
                                })
                        ),
                    ])
                })
            print(try JSONOutput.text(document))
            return
        }
        for scheme in schemes {
            print("\(scheme.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(scheme.summary)")
            for parameter in InitializerSpec.parameters(of: scheme) {
                let valid =
                    parameter.choices.map { $0.joined(separator: "|") }
                    ?? parameter.rangeDescription ?? ""
                print(
                    "    \(parameter.name)=\(parameter.defaultValue)".padding(toLength: 30, withPad: " ", startingAt: 0)
                        + " \(valid.padding(toLength: 44, withPad: " ", startingAt: 0)) \(parameter.summary)")
            }
        }
        print("\nUse as --init NAME[:KEY=VALUE,...], e.g. --init emergence:alpha=1.5,base=xavier")
    }
}
