/// A sweep trained in this process: its cells' runs added to a session and, before any
/// trains, the manifest that `view` and `sweep --status` read the heatmap from; at the end,
/// `summary.json` and `sweep.csv` beside the run folders.
public struct LocalSweep: Sendable {
    public let session: ExperimentSession
    public let plan: SweepPlan
    /// Runs in each cell: the swept entry's seeds, and its control's.
    public let runsPerCell: Int

    public init(_ request: SweepRequest, in session: ExperimentSession) throws(UserError) {
        self.session = session
        plan = session.add(sweep: request.cells, grid: request.grid, metric: request.metric)
        runsPerCell = request.cells.first?.experiment.runs.count ?? 0
        // The folders the writer will name (ids count from 0 in cell order).
        if let writer = session.writer {
            do throws(RunFolderError) { try request.submission.manifest().write(to: writer.directory) } catch {
                throw UserError(error.description)
            }
        }
    }

    /// What trains where, for the first line of progress or the status bar.
    public var description: String {
        "\(session.config.name): sweep of \(plan.cells.count) cells × \(runsPerCell) runs on "
            + "\(session.manager.workerCount) workers" + (session.writer.map { "; run folders in \($0.directory)" } ?? "")
    }

    /// The heatmap of the runs as they ended, written with the summary into the experiment
    /// folder (when there is one).
    public func finish(_ summary: ExperimentSummary) throws(UserError) -> SweepResult {
        let result = plan.result(summary.runs)
        if session.writer != nil {
            try session.writeSummary(summary)
            try session.writeFile(result.csv, named: "sweep.csv")
        }
        return result
    }
}
