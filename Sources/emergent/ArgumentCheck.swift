/// Checks the raw arguments before swift-argument-parser sees them, for two mistakes it
/// lets through or words badly: an option given twice (the parser keeps the last without a
/// word) and a negative number after an option (`--tau -1`, which it reads as a flag).
enum ArgumentCheck {
    /// Options a user may give more than once.
    static let repeatable: Set = ["--init", "--shape", "--set", "--grid"]

    struct Repeated: Error, CustomStringConvertible {
        let option: String
        var description: String { "\(option) is given more than once; give it once" }
    }

    /// `arguments` with each `--option -number` joined into `--option=-number`.
    static func normalized(_ arguments: [String]) throws(Repeated) -> [String] {
        var result: [String] = []
        var seen: Set<String> = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                result += arguments[index...]
                break
            }
            if argument.hasPrefix("--") {
                let name = String(argument.split(separator: "=", maxSplits: 1)[0])
                if !repeatable.contains(name) && !seen.insert(name).inserted { throw Repeated(option: name) }
                if !argument.contains("="), index + 1 < arguments.count, isNegativeNumber(arguments[index + 1]) {
                    result.append(argument + "=" + arguments[index + 1])
                    index += 2
                    continue
                }
            }
            result.append(argument)
            index += 1
        }
        return result
    }

    static func isNegativeNumber(_ text: String) -> Bool {
        guard text.hasPrefix("-"), text.count > 1 else { return false }
        return Double(text) != nil
    }
}
