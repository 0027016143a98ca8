import Foundation

/// Schuirmann's two one-sided tests (TOST) with Welch's standard error: are two groups'
/// means within ±`margin` of each other? p is the larger of the two one-sided p-values (H₀:
/// mean(a) − mean(b) ≤ −margin, and ≥ +margin); a p below α says "equivalent within the
/// margin". As statsmodels' `ttost_ind(a, b, -margin, margin, usevar="unequal")`.
public struct EquivalenceTest: Sendable, Equatable {
    public let margin: Double
    public let difference: Double
    public let degreesOfFreedom: Double
    public let p: Double

    /// Nil when a group has fewer than two values; p is nan when both are constant.
    public init?(_ a: [Double], _ b: [Double], margin: Double) {
        guard let welch = WelchTest(a, b), margin > 0 else { return nil }
        self.margin = margin
        difference = welch.difference
        degreesOfFreedom = welch.degreesOfFreedom
        let error = welch.standardError
        guard error > 0 else {
            p = .nan
            return
        }
        let lower = 1 - StudentT.cdf((difference + margin) / error, degreesOfFreedom: degreesOfFreedom)
        let upper = StudentT.cdf((difference - margin) / error, degreesOfFreedom: degreesOfFreedom)
        p = max(lower, upper)
    }
}
