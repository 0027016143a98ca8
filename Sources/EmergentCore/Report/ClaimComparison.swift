/// One question a claim asks of two seed groups of an experiment: is the treatment better
/// than the baseline on a measure (or, for a control, the same)?
public struct ClaimComparison: Sendable, Equatable {
    public enum Expectation: Sendable, Equatable {
        /// The treatment is claimed to be better.
        case better
        /// The two are claimed (or expected by the analysis) to coincide.
        case same
    }

    public let treatment: String
    public let baseline: String
    public let measure: ClaimMeasure
    public let expectation: Expectation
    /// Listed in the report's verdict table, not only in the claim's section.
    public let headline: Bool

    public init(
        _ treatment: String, against baseline: String, on measure: ClaimMeasure,
        expecting expectation: Expectation = .better,
        headline: Bool = false
    ) {
        self.treatment = treatment
        self.baseline = baseline
        self.measure = measure
        self.expectation = expectation
        self.headline = headline
    }

    /// The comparison over the runs, grouped by label.
    public func outcome(runs: [RunSnapshot]) -> ClaimOutcome {
        func side(_ label: String) -> ClaimOutcome.Side {
            let group = runs.filter { $0.config.label == label }
            return ClaimOutcome.Side(
                values: group.compactMap(measure.value(of:)), runs: group.count,
                diverged: group.filter { $0.divergedAt != nil }.count)
        }
        return ClaimOutcome(comparison: self, treatmentSide: side(treatment), baselineSide: side(baseline))
    }
}

/// A comparison's numbers: each side's values, Welch's test of treatment against baseline,
/// and the verdict.
public struct ClaimOutcome: Sendable {
    /// One seed group's values of the measure (non-finite ones included), its runs and how
    /// many of them diverged.
    public struct Side: Sendable, Equatable {
        public let values: [Double]
        public let runs: Int
        public let diverged: Int

        /// Every run diverged, so none has a value after it.
        public var allDiverged: Bool { runs > 0 && diverged == runs }
    }

    public let comparison: ClaimComparison
    public let treatmentSide: Side
    public let baselineSide: Side

    /// The finite values, which the statistics are over.
    public var treatment: ExperimentSummary.Statistic {
        ExperimentSummary.Statistic(values: treatmentSide.values.filter(\.isFinite))
    }
    public var baseline: ExperimentSummary.Statistic {
        ExperimentSummary.Statistic(values: baselineSide.values.filter(\.isFinite))
    }

    public var test: WelchTest? { WelchTest(treatment.values, baseline.values) }

    public var verdict: ClaimVerdict {
        let better = comparison.expectation == .better
        // A side whose every run diverged has lost, whatever the other's numbers.
        switch (treatmentSide.allDiverged, baselineSide.allDiverged) {
        case (true, true): return better ? .undecided : .coincides
        case (true, false): return better ? .opposite : .differs
        case (false, true): return better ? .holds : .differs
        case (false, false): break
        }
        // The same infinite value on both sides (log10 E = −∞: no path from an inactive node to
        // an active one) is no difference.
        let all = treatmentSide.values + baselineSide.values
        if let first = all.first, !first.isFinite, !first.isNaN, all.allSatisfy({ $0 == first }),
            !treatmentSide.values.isEmpty, !baselineSide.values.isEmpty
        {
            return better ? .notShown : .coincides
        }
        guard let test else { return .undecided }
        // Both sides constant (e.g. every run stuck at chance) leave no variance to test
        // against: equal values are no difference, different ones are taken as they are.
        let beyondNoise = test.p.isNaN ? test.difference != 0 : test.p < ClaimVerdict.level
        guard better else { return beyondNoise ? .differs : .coincides }
        guard beyondNoise else { return .notShown }
        return (test.difference > 0) == comparison.measure.higherIsBetter ? .holds : .opposite
    }
}
