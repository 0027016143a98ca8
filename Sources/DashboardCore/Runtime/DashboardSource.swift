import EmergentCore

/// Where the dashboard's runs come from and where its steering goes: a live experiment
/// (`dash`, `sweep --dashboard`) or run folders that other processes write (`view`).
/// `DashboardProgram` interprets every effect against it.
public protocol DashboardSource: AnyObject {
    /// The runs' latest pictures, for this frame.
    func snapshots() -> [RunSnapshot]
    /// Problems that arose since the last call (a write failure, an unreadable folder).
    func problems() -> [String]
    /// The sweep whose heatmap the sweep pane draws, if the runs are one.
    var sweep: SweepPlan? { get }
    /// The configuration a fork copies when no run is selected.
    var template: RunConfig? { get }
    /// Queues a command for a run, or refuses it in the user's words.
    func send(_ command: RunCommand, to run: Int) throws(RunCommandError)
    /// Adds a run, or refuses it in the user's words (it would not fit in memory).
    func add(_ run: RunConfig) throws(UserError)
    func remove(_ run: Int)
    /// Exports the runs' folders; returns what to tell the user.
    func export() throws(UserError) -> String
    /// Starts replacing the experiment with another (a preset or a file) without blocking the
    /// frames: a bad name is refused at once; the data loads in the background while the old
    /// runs go on. Returns what to tell the user meanwhile.
    func open(_ name: String) throws(UserError) -> String
    /// The outcome of an `open` once it is done (once): a fresh state's header, or why it failed.
    func opened() -> Result<DashboardSourceHeader, UserError>?
}

/// What a dashboard's header names about its source.
public struct DashboardSourceHeader: Sendable {
    public var experiment: String
    public var dataset: String
    public var model: String
    public var tau: Double
    /// Runs the experiment starts with.
    public var runs: Int

    public init(experiment: String, dataset: String, model: String, tau: Double, runs: Int = 0) {
        self.experiment = experiment
        self.dataset = dataset
        self.model = model
        self.tau = tau
        self.runs = runs
    }

    public init(_ config: ExperimentConfig) {
        self.init(
            experiment: config.name, dataset: config.dataset, model: config.runs[0].settings.model.kind,
            tau: config.runs[0].settings.measurement.emergence.tau, runs: config.runs.count)
    }
}
