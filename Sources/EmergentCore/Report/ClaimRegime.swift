import Foundation

/// The regime a claim is about, checked on the report's own runs before a verdict is read: a
/// method that rescues a failing baseline can only be judged where the baseline fails, and two
/// inits whose weights coincide cannot differ. Where the check fails, the comparisons that test
/// the claimed improvement say "regime not reached" instead of a verdict and leave the family
/// of corrected tests.
public struct ClaimRegime: Sendable {
    public enum Condition: Sendable {
        /// `arm` fails on `measure`: its mean is below `threshold`, or at least half its runs
        /// diverged.
        case fails(arm: String, measure: ClaimMeasure, below: Double)
        /// `arm` trains worse on `measure` than the arm `reference` of the experiment
        /// `experiment` (Welch's two-sided test, p < 0.05, in that direction).
        case worse(arm: String, than: String, of: String, measure: ClaimMeasure)
        /// Each comparison's treatment and baseline weights differ: the largest relative
        /// difference of a layer's initial standard deviation (mean over seeds) is at least
        /// `fraction`.
        case weightsDiffer(byAtLeast: Double)
    }

    public let condition: Condition
    /// What must hold, in words ("Xavier fails on this post-LN transformer").
    public let statement: String

    public init(_ statement: String, _ condition: Condition) {
        self.statement = statement
        self.condition = condition
    }

    /// One check: whether the regime holds for a comparison, the figure it rests on, and
    /// that figure in words.
    public struct Check: Sendable {
        public let regime: ClaimRegime
        public let reached: Bool
        public let value: Double?
        public let evidence: String
    }

    /// The check for `comparison` of `result`; `all` holds every experiment of the report (a
    /// reference arm may live in another one).
    public func check(
        _ comparison: ClaimComparison, of result: ReproductionReport.ExperimentResult,
        among all: [ReproductionReport.ExperimentResult]
    ) -> Check {
        switch condition {
        case let .fails(arm, measure, threshold):
            let group = result.runs.filter { $0.config.label == arm }
            let values = group.compactMap(measure.value(of:)).filter(\.isFinite)
            let diverged = group.filter { $0.divergedAt != nil }.count
            let mean = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            let reached = !group.isEmpty && (2 * diverged >= group.count || (mean.map { $0 < threshold } ?? false))
            let shown = mean.map { Self.text($0, measure) } ?? "—"
            return Check(
                regime: self, reached: reached, value: mean,
                evidence: "\(arm): \(measure.rawValue) \(shown) (fails below \(Self.text(threshold, measure))), "
                    + "\(diverged) of \(group.count) diverged")
        case let .worse(arm, reference, experiment, measure):
            let own = result.runs.filter { $0.config.label == arm }.compactMap(measure.value(of:)).filter(\.isFinite)
            guard let other = all.first(where: { $0.experiment.name == experiment }) else {
                return Check(
                    regime: self, reached: false, value: nil,
                    evidence: "\(experiment) was not part of this report, so \(arm) has nothing to be compared with")
            }
            let theirs = other.runs.filter { $0.config.label == reference }.compactMap(measure.value(of:))
                .filter(\.isFinite)
            guard let test = WelchTest(own, theirs) else {
                return Check(
                    regime: self, reached: false, value: nil,
                    evidence: "\(arm) has \(own.count) values and \(reference) of \(experiment) \(theirs.count): too few to test")
            }
            let worse = (test.difference < 0) == measure.higherIsBetter && test.difference != 0
            let reached = worse && test.p < ClaimVerdict.level
            return Check(
                regime: self, reached: reached, value: test.p,
                evidence: "\(arm) \(Self.text(Self.mean(own), measure)) against \(reference) of \(experiment) "
                    + "\(Self.text(Self.mean(theirs), measure)) (\(measure.rawValue), p \(ReproductionReport.pText(test.p)))")
        case let .weightsDiffer(fraction):
            let difference = Self.largestDeviationDifference(
                result.runs.filter { $0.config.label == comparison.treatment },
                result.runs.filter { $0.config.label == comparison.baseline })
            guard let difference else {
                return Check(regime: self, reached: false, value: nil, evidence: "no initial weights to compare")
            }
            return Check(
                regime: self, reached: difference >= fraction, value: difference,
                evidence: String(
                    format: "%@ against %@: the layers' initial σ differ by at most %.1f %% (needs %.0f %%)",
                    comparison.treatment, comparison.baseline, 100 * difference, 100 * fraction))
        }
    }

    /// max over layers of |σ_t / σ_b − 1|, each σ the mean over the group's seeds; nil when a
    /// group has no init report.
    static func largestDeviationDifference(_ treatment: [RunSnapshot], _ baseline: [RunSnapshot]) -> Double? {
        func means(_ group: [RunSnapshot]) -> [String: Double]? {
            let reports = group.compactMap(\.initReport)
            guard !reports.isEmpty else { return nil }
            var sums: [String: Double] = [:]
            for report in reports { for layer in report.layers { sums[layer.name, default: 0] += layer.standardDeviation } }
            return sums.mapValues { $0 / Double(reports.count) }
        }
        guard let t = means(treatment), let b = means(baseline) else { return nil }
        return b.compactMap { name, sigma -> Double? in
            guard let other = t[name], sigma > 0 else { return nil }
            return abs(other / sigma - 1)
        }.max()
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }

    static func text(_ value: Double, _ measure: ClaimMeasure) -> String {
        ReproductionReport.plain(measure.isPercentage ? 100 * value : value, measure) + (measure.isPercentage ? " %" : "")
    }
}
