/// A sweep as a user asks for it (`--grid`s as typed, `--metric`), checked against the
/// experiment: the grid, its cells, and the metric a cell shows.
public struct SweepRequest: Sendable {
    public let grids: [String]
    public let grid: SweepGrid
    public let cells: [SweepGrid.Cell]
    public let metric: SweepMetric
    public let config: ExperimentConfig

    /// Refused when a grid or the metric does not parse, a key cannot be swept, or the grid
    /// has more than `SweepGrid.cellLimit` cells without `allowsMany`.
    public init(grids: [String], metric: String, of config: ExperimentConfig, allowsMany: Bool) throws(SweepError) {
        guard !grids.isEmpty else { throw SweepError("give at least one --grid KEY=A:B:STEP or KEY=V1,V2,…") }
        self.grids = grids
        self.metric = try SweepMetric(parsing: metric)
        grid = try SweepGrid(parsing: grids)
        guard grid.cellCount <= SweepGrid.cellLimit || allowsMany else {
            throw SweepError("\(grid.cellCount) cells; more than \(SweepGrid.cellLimit) need --yes")
        }
        // A metric read at epoch N is decided then: no run trains past it.
        var config = config
        if case let .epoch(epoch) = self.metric.point, config.runs.contains(where: { $0.settings.epochs > epoch }) {
            for index in config.runs.indices {
                config.runs[index].settings.epochs = min(config.runs[index].settings.epochs, epoch)
            }
            config.document = config.document.setting(["epochs"], to: .number(Double(epoch)))
            note = "--metric \(self.metric) is decided after epoch \(epoch): every run trains \(epoch) epoch"
                + (epoch == 1 ? "" : "s")
        } else {
            note = nil
        }
        cells = try grid.cells(of: config, seeds: nil)
        self.config = config
    }

    /// What the request changed of the experiment, for the user (nil: nothing).
    public let note: String?

    public var submission: SweepSubmission { SweepSubmission(sweep: config, cells: cells, grids: grids, metric: metric) }
}
