/// A sweep as it trains: each cell's position in the grid, its label and the ids of the runs
/// that give its value (controls left out). The result is read from the runs' snapshots at
/// any moment, so the heatmap can fill in while the sweep runs.
public struct SweepPlan: Sendable {
    public struct Cell: Sendable {
        public let indices: [Int]
        public let label: String
        public let runIDs: [Int]

        public init(indices: [Int], label: String, runIDs: [Int]) {
            self.indices = indices
            self.label = label
            self.runIDs = runIDs
        }
    }

    public let grid: SweepGrid
    public let metric: SweepMetric
    public let cells: [Cell]

    public init(grid: SweepGrid, metric: SweepMetric, cells: [Cell]) {
        self.grid = grid
        self.metric = metric
        self.cells = cells
    }

    /// `runIDs[i]` are the runs of `cells[i]`.
    public init(grid: SweepGrid, metric: SweepMetric, cells: [SweepGrid.Cell], runIDs: [[Int]]) {
        self.init(
            grid: grid, metric: metric,
            cells: zip(cells, runIDs).map { Cell(indices: $0.indices, label: $0.label, runIDs: $1) })
    }

    /// The cells that are complete: a cell has a value once every one of its runs has ended
    /// (done, diverged, cancelled or failed), and one diverged run marks it diverged; until
    /// then it is shown as not run yet, so a mean is never over part of its seeds.
    public func result(_ snapshots: [RunSnapshot]) -> SweepResult {
        let byID = Dictionary(snapshots.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return SweepResult(
            grid: grid, metric: metric,
            cellResults: cells.map { cell in
                let runs = cell.runIDs.compactMap { byID[$0] }
                let diverged = runs.compactMap(\.divergedAt)
                let complete = runs.count == cell.runIDs.count && runs.allSatisfy(\.status.isTerminal)
                return SweepResult.CellResult(
                    indices: cell.indices, label: cell.label,
                    values: ExperimentSummary.Statistic(
                        values: complete && diverged.isEmpty ? runs.compactMap(metric.value(of:)) : []),
                    seeds: cell.runIDs.count, divergedAt: diverged)
            })
    }

    /// How many cells are complete.
    public func finishedCells(_ snapshots: [RunSnapshot]) -> Int {
        let ended = Set(snapshots.filter(\.status.isTerminal).map(\.id))
        return cells.filter { $0.runIDs.allSatisfy(ended.contains) }.count
    }
}
