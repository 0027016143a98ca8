import ArgumentParser
import EmergentCore

struct InitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inits",
        abstract: "List every initialization scheme with its parameters, defaults and valid ranges.")

    @Flag(help: "Print JSON instead of a list.")
    var json = false

    func run() throws {
        print(json ? try JSONOutput.text(InitializerCatalog.document) : InitializerCatalog.text)
    }
}
