/// A sweep trained in this process: its cells' runs added to a session and, before any
/// trains, the manifest that `view` and `sweep --status` read the heatmap from; at the end,
/// `summary.json` and `sweep.csv` beside the run folders.
public struct LocalSweep: Sendable {
    public let session: ExperimentSession
    public let plan: SweepPlan

    public init(
        session: ExperimentSession, cells: [SweepGrid.Cell], grid: SweepGrid, metric: SweepMetric, grids: [String]
    ) throws(SessionError) {
        self.session = session
        plan = session.add(sweep: cells, grid: grid, metric: metric)
        // The folders the writer will name (ids count from 0 in cell order).
        if let writer = session.writer {
            let submission = SweepSubmission(sweep: session.config, cells: cells, grids: grids, metric: metric)
            do throws(RunFolderError) { try submission.manifest().write(to: writer.directory) } catch {
                throw SessionError(error.description)
            }
        }
    }

    /// The heatmap of the runs as they ended, written with the summary into the experiment
    /// folder (when there is one).
    public func finish(_ summary: ExperimentSummary) throws(SessionError) -> SweepResult {
        let result = plan.result(summary.runs)
        if session.writer != nil {
            try session.writeSummary(summary)
            try session.writeFile(result.csv, named: "sweep.csv")
        }
        return result
    }
}
