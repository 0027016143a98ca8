import ArgumentParser
import DashboardCore
import EmergentCore

/// `emergent view RUN_DIR…`: the dashboard over run folders that other processes or machines
/// write, following them as they grow. Read-only: the runs train elsewhere.
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "The dashboard over run folders written by other processes or machines, following them as they grow.",
        discussion: """
            Each RUN_DIR is a run folder, an experiment folder (runs/<experiment>-<time>) or a runs root. Finished, \
            running and diverged runs open alike; new points appear within a second. Keys that steer runs say why \
            they do nothing here; :export writes the same exports as 'emergent export'.
            """)

    @Argument(help: "Run folders, experiment folders or runs roots.")
    var runDirectories: [String]

    @OptionGroup var look: DashboardOptions

    func validate() throws {
        if runDirectories.isEmpty { throw ValidationError("give at least one run folder or experiment folder") }
    }

    func run() throws {
        let source = try userFacing { try RunFolderSource(paths: runDirectories, cluster: SlurmClient()) }
        var program = DashboardProgram(source: source, header: source.header, look: try look.look())
        program.state.readOnly = "this is a view of run folders; steer the runs in the process that trains them"
        try DashboardOptions.run(&program)
    }
}
