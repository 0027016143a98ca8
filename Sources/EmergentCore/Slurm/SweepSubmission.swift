import Kernels
/// What goes to a cluster, or into a local sweep's manifest: every run (its id is its place),
/// the experiment document of each sweep cell's groups, the runs of each task unit (a cell ×
/// seed, or one run) as folder names, and the manifest's cells.
public struct SweepSubmission: Sendable {
    public let config: ExperimentConfig
    public let runs: [RunConfig]
    public let documents: [Int: JSONValue]
    public let units: [[String]]
    public let cells: [SweepManifest.Cell]
    public let grids: [String]
    public let metric: String

    /// The folder name each run gets in a new experiment folder.
    public static func folderNames(_ runs: [RunConfig]) -> [String] {
        runs.enumerated().map { RunFolderLayout.runFolderName(index: $0, config: $1) }
    }

    /// A sweep's grid as one list of runs (a cell's after the previous cell's, as they are
    /// added to the manager), each cell × seed a unit of work.
    public init(sweep config: ExperimentConfig, cells: [SweepGrid.Cell], grids: [String], metric: SweepMetric) {
        var runs: [RunConfig] = [], documents: [Int: JSONValue] = [:], units: [[String]] = []
        var manifestCells: [SweepManifest.Cell] = []
        for (index, cell) in cells.enumerated() {
            let cellRuns = cell.runs(at: index)
            let names = Self.folderNames(runs + cellRuns).suffix(cellRuns.count)
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
        self.init(
            config: config, runs: runs, documents: documents, units: units, cells: manifestCells, grids: grids,
            metric: metric.description)
    }

    /// An experiment's runs, one array task per run; a seed group is a row of the status.
    public init(experiment config: ExperimentConfig) {
        let names = Self.folderNames(config.runs)
        var cells: [SweepManifest.Cell] = []
        for group in Array(Set(config.runs.map(\.group))).sorted() {
            let members = config.runs.indices.filter { config.runs[$0].group == group }
            cells.append(
                SweepManifest.Cell(
                    indices: [], label: config.runs[members[0]].label, runs: members.map { names[$0] }, controls: []))
        }
        self.init(
            config: config, runs: config.runs, documents: [:], units: names.map { [$0] }, cells: cells, grids: [],
            metric: SweepMetric.standard.description)
    }

    init(
        config: ExperimentConfig, runs: [RunConfig], documents: [Int: JSONValue], units: [[String]],
        cells: [SweepManifest.Cell], grids: [String], metric: String
    ) {
        self.config = config
        self.runs = runs
        self.documents = documents
        self.units = units
        self.cells = cells
        self.grids = grids
        self.metric = metric
    }

    /// Equal for two submissions of the same experiment, grid, seeds and metric.
    public var identity: String {
        SHA256.hex(of: Array(([config.document.text()] + grids + [metric]).joined(separator: "\n").utf8))
    }

    /// The manifest of a local sweep (no tasks) or of a Slurm one.
    public func manifest(tasks: [[String]] = []) -> SweepManifest {
        SweepManifest(grids: grids, metric: metric, cells: cells, tasks: tasks, identity: identity)
    }
}
