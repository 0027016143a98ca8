import ArgumentParser
import EmergentCore
import Foundation
import TerminalBackend

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
            try SlurmSweep.printStatus(statusDirectory, json: json)
            return
        }
        guard !grids.isEmpty else { throw ValidationError("give at least one --grid KEY=A:B:STEP or KEY=V1,V2,…") }
        let config = try options.load(experiment)
        let grid: SweepGrid
        let cells: [SweepGrid.Cell]
        let chosen: SweepMetric
        do {
            chosen = try SweepMetric(parsing: metric)
            grid = SweepGrid(axes: try grids.map(SweepGrid.axis))
            guard grid.cellCount <= SweepGrid.cellLimit || yes else {
                throw SweepError("\(grid.cellCount) cells; more than \(SweepGrid.cellLimit) need --yes")
            }
            cells = try grid.cells(of: config, seeds: nil)
        } catch let error as SweepError { throw ValidationError(error.description) }
        if cluster.slurm {
            guard !dashboard else {
                throw ValidationError("--dashboard trains here; with --slurm, watch with emergent view")
            }
            try SlurmSweep.submit(Self.submission(config, cells: cells, grids: grids, metric: chosen), options: cluster)
            return
        }
        // The dashboard's look is checked before anything trains.
        let session = dashboard ? try DashboardSession(look) : nil
        let failures = DashCommand.Inbox()
        // In the dashboard, write failures go to its status line: stderr would tear the screen.
        var onError = HeadlessSession.reportWriteFailure
        if dashboard { onError = { _, message in failures.post(message) } }
        let (_, manager, writer) = try HeadlessSession.prepare(config, onError: onError)
        let plan = SweepPlan(
            grid: grid, metric: chosen, cells: cells, runIDs: HeadlessSession.add(cells, to: manager, writer: writer))
        writer?.attach(to: manager)
        if let writer {
            // The folders the writer will name (ids count from 0 in cell order): view and --status read the
            // heatmap from them.
            let submission = Self.submission(config, cells: cells, grids: grids, metric: chosen)
            do throws(RunFolderError) {
                try SweepManifest(
                    grids: grids, metric: chosen.description, cells: submission.cells,
                    identity: SlurmSweep.identity(submission)
                ).write(to: writer.directory)
            } catch { throw ValidationError(error.description) }
        }
        let description =
            "\(config.name): sweep of \(cells.count) cells × \(cells.first?.experiment.runs.count ?? 0) runs on "
            + "\(manager.workerCount) workers" + (writer.map { "; run folders in \($0.directory)" } ?? "")
        if var session {
            try Self.watch(
                plan, config: config, manager: manager, writer: writer, failures: failures, status: description,
                session: &session)
            let finished = plan.finishedCells(manager.snapshots())
            if finished < cells.count {
                FileHandle.standardError.write(
                    Data("stopped with \(finished) of \(cells.count) cells complete; the others show ·\n".utf8))
            }
        } else {
            FileHandle.standardError.write(Data((description + "\n").utf8))
            HeadlessSession.trainToEnd(manager)
        }
        let result = plan.result(manager.snapshots())
        if let writer {
            writer.flush()
            let summary = try SummaryTable.json(ExperimentSummary(manager.snapshots()), experiment: config)
            do throws(RunFolderError) {
                try writer.writeSummary(text: summary)
                try writer.writeFile(result.csv, named: "sweep.csv")
            } catch { throw ValidationError(error.description) }
            FileHandle.standardError.write(Data("sweep.csv and run folders: \(writer.directory)\n".utf8))
        }
        if json {
            print(try JSONOutput.text(Self.json(result)))
        } else {
            let width = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
            print(SweepHeatmap.render(result, width: width, color: isatty(STDOUT_FILENO) == 1))
        }
    }

    /// The grid's runs as one list (a cell's runs after the previous cell's, as they are added
    /// to the manager), each cell × seed a unit of work, and the cells by folder name.
    static func submission(
        _ config: ExperimentConfig, cells: [SweepGrid.Cell], grids: [String], metric: SweepMetric
    ) -> SlurmSweep.Submission {
        var runs: [RunConfig] = [], documents: [Int: JSONValue] = [:], units: [[String]] = []
        var manifestCells: [SweepManifest.Cell] = []
        for (index, cell) in cells.enumerated() {
            let cellRuns = cell.runs(at: index)
            let names = SlurmSweep.Submission.folderNames(runs + cellRuns).suffix(cellRuns.count)
            let named = Array(zip(cellRuns, names))
            for run in cellRuns { documents[run.group] = cell.experiment.document }
            for seed in Array(Set(cellRuns.map(\.seed))).sorted() {
                units.append(named.filter { $0.0.seed == seed }.map(\.1))
            }
            manifestCells.append(
                SweepManifest.Cell(
                    indices: cell.indices, label: cell.label, runs: named.filter { $0.0.controlOf == nil }.map(\.1),
                    controls: named.filter { $0.0.controlOf != nil }.map(\.1)))
            runs += cellRuns
        }
        return SlurmSweep.Submission(
            config: config, runs: runs, documents: documents, units: units, cells: manifestCells, grids: grids,
            metric: metric.description)
    }

    /// Trains the sweep in the dashboard until it is quit; the heatmap pane shows the cells so far.
    static func watch(
        _ plan: SweepPlan, config: ExperimentConfig, manager: RunManager, writer: RunFolderWriter?,
        failures: DashCommand.Inbox, status: String, session: inout DashboardSession
    ) throws {
        let terminal: Terminal
        do { terminal = try session.openTerminal() } catch {
            throw ValidationError("--dashboard needs a terminal; without it the sweep trains headless")
        }
        manager.start()
        var state = session.state(
            experiment: config.name, dataset: config.dataset, model: config.runs[0].settings.model.kind)
        state.tau = config.runs[0].settings.measurement.emergence.tau
        state.sweep = plan
        state.report(status)
        session.loop(
            terminal, state: &state, snapshots: { manager.snapshots() }, messages: { failures.take() }
        ) { effect, state in
            switch effect {
            case .open:
                state.report("a sweep's dashboard stays on its sweep: quit, then open the experiment", error: true)
            case .export: DashboardSession.export(writer, state: &state)
            default: DashCommand.apply(effect, to: manager, template: config.runs[0], state: &state)
            }
        }
        manager.shutdown()
    }

    static func json(_ result: SweepResult) -> JSONValue {
        .object([
            ("metric", .string(result.metric.description)),
            (
                "axes",
                .array(result.grid.axes.map { .object([("key", .string($0.key)), ("values", .array($0.values))]) })
            ),
            (
                "cells",
                .array(
                    result.cells.map { cell in
                        .object([
                            ("label", .string(cell.label)),
                            ("indices", .array(cell.indices.map { .number(Double($0)) })),
                            ("seeds", .number(Double(cell.seeds))), ("mean", cell.mean.map { .number($0) } ?? .null),
                            ("std", cell.mean == nil ? .null : .number(cell.values.standardDeviation)),
                            ("values", .array(cell.values.values.map { .number($0) })),
                            ("diverged_at", .array(cell.divergedAt.map { .number(Double($0)) })),
                        ])
                    })
            ),
            ("best", result.best.map { .string($0.label) } ?? .null),
        ])
    }
}
