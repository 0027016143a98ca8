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

    @OptionGroup(title: "On a Slurm cluster") var cluster: SlurmOptions

    func run() throws {
        let config = try options.load(experiment)
        if cluster.slurm {
            // One array task per run; a seed group is a row of the status.
            let names = SlurmSweep.Submission.folderNames(config.runs)
            var cells: [SweepManifest.Cell] = []
            for group in Array(Set(config.runs.map(\.group))).sorted() {
                let members = config.runs.indices.filter { config.runs[$0].group == group }
                cells.append(
                    SweepManifest.Cell(
                        indices: [], label: config.runs[members[0]].label, runs: members.map { names[$0] },
                        controls: []))
            }
            try SlurmSweep.submit(
                SlurmSweep.Submission(
                    config: config, runs: config.runs, documents: [:], units: names.map { [$0] }, cells: cells,
                    grids: [], metric: SweepMetric.standard.description),
                options: cluster)
            return
        }
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
