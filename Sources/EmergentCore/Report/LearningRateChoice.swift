/// What tuning chose for one claim experiment: every rate each arm tried with its validation
/// score, the choice, and the file's fixed rate; and how the experiment changes for it (each
/// arm and its control at the chosen rate, the arms whose choice differs again at the fixed
/// rate, with fewer seeds, for the secondary comparisons).
public struct LearningRateChoice: Sendable {
    public let search: LearningRateSearch
    /// The file's rate of each arm.
    public let fixed: [String: Double]
    public let epochs: Int
    public let validationSize: Int
    public let seeds: Int

    public init(search: LearningRateSearch, fixed: [String: Double], epochs: Int, validationSize: Int, seeds: Int) {
        self.search = search
        self.fixed = fixed
        self.epochs = epochs
        self.validationSize = validationSize
        self.seeds = seeds
    }

    /// The arm a run belongs to: its own label, or for a control, its emergence run's.
    static func arm(of run: RunConfig) -> String {
        run.controlOf == nil ? run.label : String(run.label.dropFirst("control of ".count))
    }

    /// The label of an arm's runs at the fixed rate (the arm itself when its choice is the fixed rate).
    public func fixedLabel(_ label: String) -> String {
        let arm = label.hasPrefix("control of ") ? String(label.dropFirst("control of ".count)) : label
        guard let rate = fixed[arm], let chosen = search.chosen(arm), chosen != rate else { return label }
        return "\(label) (lr \(CSVExport.number(rate)))"
    }

    /// The experiment's runs with each arm (and its control) at its chosen rate, then the arms
    /// whose choice differs from the fixed rate again at that rate, `fixedSeeds` seeds each.
    public func applied(to runs: [RunConfig], fixedSeeds: Int) -> [RunConfig] {
        var tuned = runs
        for index in tuned.indices {
            if let rate = search.chosen(Self.arm(of: tuned[index])) {
                tuned[index].settings.optimizer.learningRate = rate
            }
        }
        let groups = (runs.map(\.group).max() ?? 0) + 1
        var again: [RunConfig] = []
        for run in runs where fixedLabel(run.label) != run.label {
            let seedsSoFar = again.filter { $0.label == fixedLabel(run.label) }.count
            guard seedsSoFar < fixedSeeds else { continue }
            var copy = run
            copy.label = fixedLabel(run.label)
            copy.group = groups + run.group
            again.append(copy)
        }
        return tuned + again
    }

    /// The secondary comparisons at the fixed rate: each of the experiment's comparisons
    /// between the fixed-rate labels, where one of its sides changed.
    public func fixedComparisons(_ comparisons: [ClaimComparison]) -> [ClaimComparison] {
        comparisons.compactMap { comparison in
            let (treatment, baseline) = (fixedLabel(comparison.treatment), fixedLabel(comparison.baseline))
            guard treatment != comparison.treatment || baseline != comparison.baseline else { return nil }
            return ClaimComparison(
                treatment, against: baseline, on: comparison.measure, expecting: comparison.expectation,
                headline: false)
        }
    }
}
