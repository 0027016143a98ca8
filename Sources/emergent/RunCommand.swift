import ArgumentParser
import EmergentCore

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
            try SlurmCommands.submit(SweepSubmission(experiment: config), options: cluster)
            return
        }
        let session = try userFacing { try ExperimentSession(config, onWriteFailure: HeadlessTraining.reportWriteFailure) }
        session.add(config.runs)
        HeadlessTraining.note(session.description)
        try HeadlessTraining.trainAndSummarize(session, json: json)
    }
}
