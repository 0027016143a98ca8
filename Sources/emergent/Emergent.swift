import ArgumentParser
import EmergentCore
import Foundation

@main
struct Emergent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emergent",
        abstract: "A terminal lab for watching neural networks train under different weight initializations.",
        discussion: """
            'emergent' (or 'emergent dash EXPERIMENT') opens the live dashboard; 'emergent run EXPERIMENT' trains an \
            experiment's runs side by side (presets: \
            \(ExperimentConfig.presetNames.joined(separator: ", "))); 'emergent measure' shows emergence and layer \
            statistics at initialization; 'emergent train' trains one classifier; 'emergent inits' lists every scheme \
            and its parameters; 'emergent datasets' lists the data; 'emergent bench' measures speed.
            """,
        subcommands: [
            DashCommand.self, RunExperimentCommand.self, SweepCommand.self, ResumeCommand.self, ViewCommand.self,
            ExportCommand.self, ReportCommand.self,
            MeasureCommand.self, InitializeCommand.self, TrainCommand.self,
            InitsCommand.self,
            DatasetsCommand.self, Bench.self,
        ],
        defaultSubcommand: DashCommand.self)

    /// Parses and runs, printing parse and run errors as one line on standard error.
    static func main() {
        // A file-size limit makes writes fail (and run folders report it); it must not kill the process.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot(try ArgumentCheck.normalized(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch let code as ExitCode {
            // A status a script reads (`sweep --status`, a requeue): its words were said already.
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
            } else {
                let message =
                    message(for: error)
                    .replacingOccurrences(of: "Error: ", with: "")
                    .split(separator: "\n").first.map(String.init) ?? "\(error)"
                FileHandle.standardError.write(Data("emergent: \(message)\n".utf8))
            }
            Foundation.exit(code.rawValue)
        }
    }
}
