/// Everything one run needs besides the experiment's shared data: a resolved experiment
/// entry for one seed. A run's numbers depend only on this.
public struct RunConfig: Sendable, Hashable {
    /// What the run is called on screen and in summaries ("emergence:alpha=1.2").
    public var label: String
    /// Runs made from one experiment entry (its seeds) share a group.
    public var group: Int
    public var seed: UInt64
    public var initializer: InitializerSpec
    /// Set on a control run: the emergence-promoting spec whose scales become per-layer
    /// learning-rate multipliers (α^(−2·idx) for SGD, α^(−idx) for Adam).
    public var controlOf: InitializerSpec?
    public var settings: RunSettings
    /// Where the run comes from, so a run folder can rebuild it from its experiment.
    public var origin = RunOrigin()

    public init(
        label: String, group: Int, seed: UInt64, initializer: InitializerSpec, controlOf: InitializerSpec? = nil,
        settings: RunSettings
    ) {
        self.label = label
        self.group = group
        self.seed = seed
        self.initializer = initializer
        self.controlOf = controlOf
        self.settings = settings
    }
}
