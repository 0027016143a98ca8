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

    /// The 95 % confidence interval of the difference (treatment − baseline), Welch's; nil
    /// without a test or when both sides are constant.
    public var interval: (lower: Double, upper: Double)? {
        guard let interval = test?.confidenceInterval(level: 0.95), interval.lower.isFinite else { return nil }
        return interval
    }

    /// The margin two arms must be within to count as the same, in the measure's units.
    public var margin: Double { comparison.measure.equivalenceMargin(baselineMean: baseline.mean) }

    /// TOST within `margin`, for a comparison that expects the two to coincide.
    public var equivalence: EquivalenceTest? {
        guard comparison.expectation == .same else { return nil }
        return EquivalenceTest(treatment.values, baseline.values, margin: margin)
    }

    /// The p-value the verdict rests on: Welch's for a claimed improvement, TOST's for a
    /// claimed equivalence (nan when both sides are constant; nil without two values a side).
    public var decidingP: Double? { comparison.expectation == .better ? test?.p : equivalence?.p }

    /// The smallest Cohen's d this comparison detects with 80 % power at the 5 % level.
    public var detectableEffect: Double? {
        let (n1, n2) = (treatment.values.count, baseline.values.count)
        return n1 >= 2 && n2 >= 2 ? PowerAnalysis.minimumDetectableEffect(counts: n1, n2) : nil
    }

    /// Fisher's exact test of the two arms' divergence rates; nil when no run diverged.
    public var divergenceP: Double? {
        let (a, b) = (treatmentSide, baselineSide)
        guard a.diverged + b.diverged > 0 else { return nil }
        return FisherExactTest.p(a.diverged, a.runs - a.diverged, b.diverged, b.runs - b.diverged)
    }

    /// The verdict on the raw p (a secondary comparison, outside the corrected family).
    public var verdict: ClaimVerdict { verdict(adjustedP: nil) }

    /// The verdict at the 5 % level on `adjustedP` (the deciding p after Holm's correction
    /// across the report's headline comparisons), or on the raw p when nil. Fewer than two
    /// values on a side decide nothing: a side that diverged is compared by its divergence
    /// rate (Fisher), never turned into a verdict by itself.
    public func verdict(adjustedP: Double?) -> ClaimVerdict {
        guard treatment.values.count >= 2, baseline.values.count >= 2, let test else { return .undecided }
        let better = comparison.expectation == .better
        let p = adjustedP ?? decidingP ?? .nan
        guard !p.isNaN else {
            // Both sides constant: no variance to test against; the values are taken as they are.
            if better { return test.difference == 0 ? .notShown : direction(test.difference) }
            return abs(test.difference) < margin ? .equivalent : .notEquivalent
        }
        if better { return p < ClaimVerdict.level ? direction(test.difference) : .notShown }
        return p < ClaimVerdict.level ? .equivalent : .notEquivalent
    }

    private func direction(_ difference: Double) -> ClaimVerdict {
        (difference > 0) == comparison.measure.higherIsBetter ? .holds : .opposite
    }
}
