/// A published claim about an initialization, and the experiments that test it: each a
/// file in `data/experiments/claims/`, with the comparisons that decide it.
public struct Claim: Sendable {
    public let id: String
    public let title: String
    /// Where the claim comes from, and what it says, in the paper's terms.
    public let source: String
    public let statement: String
    public let experiments: [ClaimExperiment]
    /// Why the claim holds where it does, from the mechanism: true whatever the seeds say,
    /// closing the report's plain-words paragraph.
    public let analysis: String

    public init(
        id: String, title: String, source: String, statement: String, analysis: String = "",
        experiments: [ClaimExperiment]
    ) {
        self.analysis = analysis
        self.id = id
        self.title = title
        self.source = source
        self.statement = statement
        self.experiments = experiments
    }
}

/// One experiment file of a claim. Quick mode lays `quick` over the document's keys and
/// swaps the inits in `quickInits` (by run label), so the same comparisons run small.
public struct ClaimExperiment: Sendable {
    public let name: String
    public let title: String
    public let quick: [(path: [String], value: JSONValue)]
    public let quickInits: [String: String]
    public let comparisons: [ClaimComparison]
    /// A grid over the experiment's first entry instead of its run list; its comparisons
    /// are between cells and come from the result.
    public let sweep: ClaimSweep?
    /// Each arm's learning rate chosen on a validation split before the comparison (nil: the
    /// file's rate for all).
    public let tuning: LearningRateTuning?
    /// What must hold for the comparisons of a claimed improvement to test the claim.
    public let regimes: [ClaimRegime]
    /// Seeds of each arm again at the file's fixed rate, where its chosen rate differs: the
    /// fixed-rate comparisons, kept as secondary rows.
    public static let fixedRateSeeds = 3

    public init(
        name: String, title: String, quick: [(path: [String], value: JSONValue)], quickInits: [String: String] = [:],
        comparisons: [ClaimComparison] = [], sweep: ClaimSweep? = nil, tuning: LearningRateTuning? = nil,
        regimes: [ClaimRegime] = []
    ) {
        self.name = name
        self.title = title
        self.quick = quick
        self.quickInits = quickInits
        self.comparisons = comparisons
        self.sweep = sweep
        self.tuning = tuning
        self.regimes = regimes
    }

    /// The file's path relative to the presets folder (`claims/NAME`).
    public var preset: String { "claims/\(name)" }

    /// The document with quick mode's changes, ready for `ExperimentConfig.parse`.
    public func quickDocument(_ document: JSONValue) -> JSONValue {
        var result = document
        for (path, value) in quick { result = result.setting(path, to: value) }
        guard case let .array(entries)? = result["runs"] else { return result }
        let swapped = entries.map { entry -> JSONValue in
            guard case let .string(label)? = entry["label"], let initText = quickInits[label] else { return entry }
            return entry.setting(["init"], to: .string(initText))
        }
        return result.setting(["runs"], to: .array(swapped))
    }
}

/// A claim's grid: one axis of α and one of a hyperparameter, with the comparisons read from
/// the cells once they are done.
public struct ClaimSweep: Sendable {
    public let axes: [String]
    public let quickAxes: [String]
    public let metric: SweepMetric

    public init(axes: [String], quickAxes: [String], metric: SweepMetric = .standard) {
        self.axes = axes
        self.quickAxes = quickAxes
        self.metric = metric
    }

    /// For an α × learning-rate grid: at each learning rate, every α > 1 against α = 1; and the
    /// best α > 1 cell against the best α = 1 cell, each over every learning rate (the
    /// headline: does α add anything that tuning the learning rate does not?).
    public static func alphaComparisons(_ result: SweepResult, measure: ClaimMeasure) -> [ClaimComparison] {
        guard result.grid.axes.count == 2, let alphaAxis = result.grid.axes.firstIndex(where: { $0.key == "alpha" }),
            let baseIndex = result.grid.axes[alphaAxis].labels.firstIndex(of: "1")
        else { return [] }
        let otherAxis = 1 - alphaAxis
        func cell(alpha: Int, other: Int) -> SweepResult.CellResult? {
            result.cells.first { $0.indices[alphaAxis] == alpha && $0.indices[otherAxis] == other }
        }
        var comparisons: [ClaimComparison] = []
        for other in result.grid.axes[otherAxis].values.indices {
            guard let base = cell(alpha: baseIndex, other: other) else { continue }
            for alpha in result.grid.axes[alphaAxis].values.indices where alpha != baseIndex {
                if let treated = cell(alpha: alpha, other: other) {
                    comparisons.append(ClaimComparison(treated.label, against: base.label, on: measure))
                }
            }
        }
        let scored = result.cells.filter { !$0.diverged && $0.mean?.isFinite == true }
        let better: (SweepResult.CellResult, SweepResult.CellResult) -> Bool = {
            result.metric.lowerIsBetter ? $0.mean! > $1.mean! : $0.mean! < $1.mean!
        }
        if let bestBase = scored.filter({ $0.indices[alphaAxis] == baseIndex }).max(by: better),
            let bestTreated = scored.filter({ $0.indices[alphaAxis] != baseIndex }).max(by: better)
        {
            comparisons.append(ClaimComparison(bestTreated.label, against: bestBase.label, on: measure, headline: true))
        }
        return comparisons
    }
}
