import ArgumentParser
import DashboardCore
import EmergentCore

/// `emergent` and `emergent dash [EXPERIMENT]`: the live dashboard over an experiment's runs.
struct DashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dash",
        abstract: "The live dashboard: the runs of an experiment training side by side, steered from the keyboard.",
        discussion: """
            ? in the dashboard lists the keys. Every run is written to its folder under ./runs (--runs-dir, \
            --no-run-folders). Without a terminal, use 'emergent run EXPERIMENT'.
            """)

    @Argument(help: "A preset name or an experiment file.")
    var experiment = "default"

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var look: DashboardOptions

    func run() throws {
        let config = try options.load(experiment)
        let look = try look.look()
        let inbox = ProblemInbox()
        let session = try userFacing { try ExperimentSession(config, purpose: "dash") { inbox.post($0) } }
        session.add(config.runs)
        session.start()
        // `:open` applies the same flags to the new experiment; a bad one changes nothing.
        let source = LiveExperimentSource(session: session, inbox: inbox, load: { try options.load($0) })
        var program = DashboardProgram(source: source, header: DashboardSourceHeader(config), look: look)
        if let writer = session.writer { program.report("run folders: \(writer.directory)") }
        defer {
            // The folders are left complete, with `summary.json`, however the dashboard ends,
            // and the user is told where they are and what to do with them.
            let ended = source.session
            try? ended.writeSummary(ended.finish())
            if let whereTheFoldersAre = ended.whereTheFoldersAre { HeadlessTraining.note(whereTheFoldersAre) }
        }
        try DashboardOptions.run(&program)
    }
}
