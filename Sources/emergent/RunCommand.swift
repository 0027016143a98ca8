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
        let data: ExperimentData
        do { data = try ExperimentData.load(config) } catch { throw ValidationError(error.description) }
        let manager = RunManager(data: data, workers: config.workers)
        let progress = HeadlessProgress(manager: manager, interactive: isatty(STDERR_FILENO) == 1)
        progress.attach()
        for run in config.runs { manager.add(run) }
        FileHandle.standardError.write(
            Data(
                ("\(config.name): \(config.runs.count) runs on \(manager.workerCount) workers, \(data.dataset) ("
                    + "\(data.trainCount) training samples)\n").utf8))
        manager.start()
        manager.waitUntilSettled()
        manager.shutdown()
        progress.finish()
        let summary = ExperimentSummary(manager.snapshots())
        print(
            json ? try SummaryTable.json(summary, experiment: config) : SummaryTable.text(summary, experiment: config))
        if let failure = summary.groups.flatMap(\.failures).first {
            throw ValidationError("a run failed: \(failure)")
        }
    }
}
