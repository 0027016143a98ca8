import ArgumentParser
import Foundation

@main
struct Emergent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emergent",
        abstract: "A terminal lab for watching neural networks train under different weight initializations.",
        discussion: """
            Today, headless: 'emergent measure' (emergence and layer statistics at initialization), \
            'emergent train', 'emergent inits' (every scheme and its parameters), 'emergent datasets' \
            and 'emergent bench'. The live dashboard arrives with a later issue.
            """,
        subcommands: [RunExperimentCommand.self, MeasureCommand.self, TrainCommand.self, InitsCommand.self, DatasetsCommand.self, Bench.self])

    /// Parses and runs, printing parse and run errors as one line on standard error.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
            } else {
                let message = message(for: error)
                    .replacingOccurrences(of: "Error: ", with: "")
                    .split(separator: "\n").first.map(String.init) ?? "\(error)"
                FileHandle.standardError.write(Data("emergent: \(message)\n".utf8))
            }
            Foundation.exit(code.rawValue)
        }
    }
}
