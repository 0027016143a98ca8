import ArgumentParser
import DashboardCore
import EmergentCore
import Foundation

/// `emergent sweep EXPERIMENT --grid KEY=A:B:STEP|V1,V2,…`: the experiment's first run entry
/// over a grid of values, every cell × seed trained side by side, then a terminal heatmap,
/// `sweep.csv` and a run folder per run.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train one run entry of an experiment over a grid of values, and show the result as a heatmap.",
        discussion: """
            Each --grid is KEY=A:B:STEP (a range that includes B when the step lands on it) or KEY=V1,V2,…; KEY is \
            alpha (the init's α), init, lr, momentum, wd, tau, or any experiment or run key (batch_size, \
            model.widths, optimizer.lr…). The entry is the first, or for alpha the first whose init takes α (its \
            control, if it has one, trains beside it in every cell). Two grids make rows and columns; more make rows of the others. The cells \
            run side by side with --seeds seeds each; --metric picks what a cell shows (default test/acc@final). \
            sweep.csv and the run folders go into the experiment folder. --dashboard trains the sweep in the live \
            dashboard, its heatmap filling in as cells finish; quitting stops the sweep with the cells done so far.
            """)

    @Argument(help: "A preset name or an experiment file.")
    var experiment = "default"

    @Option(name: .customLong("grid"), help: "KEY=A:B:STEP or KEY=V1,V2,… (repeatable).")
    var grids: [String] = []

    @Option(help: "What a cell shows: KEY@final, KEY@best or KEY@epochN (default test/acc@final).")
    var metric = "test/acc@final"

    @Flag(help: "Run more than 1000 cells.")
    var yes = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Flag(help: "Watch the sweep in the dashboard: the heatmap fills in as cells finish.")
    var dashboard = false

    @Option(
        name: .customLong("status"),
        help: "Print the state of the sweep in this experiment folder (queued, running, done, failed, diverged).")
    var statusDirectory: String?

    @OptionGroup(title: "On a Slurm cluster") var cluster: SlurmOptions

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var look: DashboardOptions

    func run() throws {
        if let statusDirectory {
            guard grids.isEmpty, !cluster.slurm, !dashboard else {
                throw ValidationError("--status reads a sweep's folder; it takes no --grid, --slurm or --dashboard")
            }
            try SlurmCommands.printStatus(statusDirectory, json: json)
            return
        }
        let request = try userFacing { try SweepRequest(grids: grids, metric: metric, of: try options.load(experiment, onlyAddedRuns: true), allowsMany: yes) }
        let config = request.config  // as the sweep trains it (a metric at epoch N stops every run there)
        if let note = request.note { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        if cluster.slurm {
            guard !dashboard else { throw ValidationError("--dashboard trains here; with --slurm, watch with emergent view") }
            try SlurmCommands.submit(request.submission, options: cluster)
            return
        }
        // The dashboard's look is checked before anything trains.
        let chosenLook = dashboard ? try look.look() : nil
        let inbox = ProblemInbox()
        // In the dashboard, write failures go to its status line: stderr would tear the screen.
        var onWriteFailure = HeadlessTraining.reportWriteFailure
        if dashboard { onWriteFailure = { inbox.post($0) } }
        let session = try userFacing { try ExperimentSession(config, purpose: "sweep", onWriteFailure: onWriteFailure) }
        let sweep = try userFacing { try LocalSweep(request, in: session) }
        let summary: ExperimentSummary
        if let chosenLook {
            var program = DashboardProgram(
                source: LiveExperimentSource(session: session, inbox: inbox, sweep: sweep.plan),
                header: DashboardSourceHeader(config), look: chosenLook)
            program.report(sweep.description)
            try DashboardOptions.run(
                &program, unavailable: "--dashboard needs a terminal; without it the sweep trains headless",
                starting: session.start)
            summary = session.finish()
            let finished = sweep.plan.finishedCells(summary.runs)
            if finished < request.cells.count {
                HeadlessTraining.note("stopped with \(finished) of \(request.cells.count) cells complete; the others show ·")
            }
        } else {
            HeadlessTraining.note(sweep.description)
            summary = HeadlessTraining.train(session)
        }
        let result = try userFacing { try sweep.finish(summary) }
        if let writer = session.writer { HeadlessTraining.note("sweep.csv and run folders: \(writer.directory)") }
        print(json ? try JSONOutput.text(result.document) : HeatmapOutput.text(result))
    }
}
