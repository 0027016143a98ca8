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
            let document = schemes.map { scheme -> [String: Any] in
                ["name": scheme.rawValue, "summary": scheme.summary,
                 "parameters": InitializerSpec.parameters(of: scheme).map { parameter -> [String: Any] in
                     var entry: [String: Any] = ["name": parameter.name, "default": parameter.defaultValue, "summary": parameter.summary]
                     if let choices = parameter.choices { entry["choices"] = choices }
                     if let range = parameter.range {
                         entry["range"] = [range.lowerBound, range.upperBound]
                         entry["integer"] = parameter.isInteger
                     }
                     return entry
                 }]
            }
            let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        for scheme in schemes {
            print("\(scheme.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(scheme.summary)")
            for parameter in InitializerSpec.parameters(of: scheme) {
                let valid = parameter.choices.map { $0.joined(separator: "|") }
                    ?? parameter.rangeDescription ?? ""
                print("    \(parameter.name)=\(parameter.defaultValue)".padding(toLength: 30, withPad: " ", startingAt: 0)
                      + " \(valid.padding(toLength: 44, withPad: " ", startingAt: 0)) \(parameter.summary)")
            }
        }
        print("\nUse as --init NAME[:KEY=VALUE,...], e.g. --init emergence:alpha=1.5,base=xavier")
    }
}
