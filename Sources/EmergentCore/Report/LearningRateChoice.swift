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

    /// The label of an arm's runs at the fixed rate (the arm itself when its choice is the fixed rate).
    public func fixedLabel(_ label: String) -> String {
        let arm = label.hasPrefix("control of ") ? String(label.dropFirst("control of ".count)) : label
        guard let rate = fixed[arm], let chosen = search.chosen(arm), chosen != rate else { return label }
        return "\(label) (lr \(CSVExport.number(rate)))"
    }

    /// The experiment's run entries with each arm (and its control, which shares its entry) at
    /// its chosen rate, then the arms whose choice differs from the fixed rate again at that
    /// rate, `fixedSeeds` seeds each: a document that describes exactly the runs trained, so
    /// their folders rebuild and a stopped report resumes them.
    public func entries(_ entries: [JSONValue], fixedSeeds: Int) -> [JSONValue] {
        var tuned: [JSONValue] = [], again: [JSONValue] = []
        for entry in entries {
            guard let arm = Self.label(of: entry), let rate = search.chosen(arm) else {
                tuned.append(entry)
                continue
            }
            tuned.append(entry.setting(["optimizer", "lr"], to: .number(rate)))
            if fixedLabel(arm) != arm {
                again.append(
                    entry.setting(["label"], to: .string(fixedLabel(arm))).setting(["seeds"], to: .number(Double(fixedSeeds))))
            }
        }
        return tuned + again
    }

    /// An entry's label: its own, else its init's name (as the experiment file reads it).
    static func label(of entry: JSONValue) -> String? {
        if case let .string(label)? = entry["label"] { return label }
        if case let .string(initializer)? = entry["init"] { return initializer }
        return nil
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
