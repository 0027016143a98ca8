import ArgumentParser
import EmergentCore
import Foundation

/// `emergent run EXPERIMENT`: every run of an experiment side by side, without the UI.
struct RunExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract:
            "Train an experiment's runs side by side without the dashboard: progress on stderr, a summary on stdout.",
        discussion: """
            EXPERIMENT is a preset (\(ExperimentConfig.presetNames.joined(separator: ", "))) or the path of an experiment \
            JSON file. Flags override the file's keys; --set reaches any key.
            """)

    @Argument(help: "A preset name or an experiment file.")
    var experiment = "default"

    @OptionGroup var options: ExperimentOptions

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        let config = try options.load(experiment)
        let (data, manager, writer) = try HeadlessSession.prepare(config)
        writer?.attach(to: manager)
        for run in config.runs { manager.add(run) }
        FileHandle.standardError.write(
            Data(
                ("\(config.name): \(config.runs.count) runs on \(manager.workerCount) workers, \(data.dataset) ("
                    + "\(data.trainCount) training samples)"
                    + (writer.map { "; run folders in \($0.directory)" } ?? "") + "\n").utf8))
        try HeadlessSession.train(manager, experiment: config, writer: writer, json: json)
    }
}
