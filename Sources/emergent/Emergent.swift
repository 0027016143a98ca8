import ArgumentParser
import Foundation

@main
struct Emergent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emergent",
        abstract: "A terminal lab for watching neural networks train under different weight initializations.",
        discussion: """
            Today: 'emergent bench gemm' measures the matrix-multiply kernels against OpenBLAS. \
            The dashboard, training and measurement commands arrive with the next issues.
            """,
        subcommands: [MeasureCommand.self, TrainCommand.self, InitsCommand.self, DatasetsCommand.self, Bench.self])

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
