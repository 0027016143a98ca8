/// What the seeds say about one comparison, at the 5 % level: Welch's two-sided test for a
/// claimed improvement, two one-sided tests (TOST) within a stated margin for a claimed
/// equivalence; headline comparisons on Holm-adjusted p-values.
public enum ClaimVerdict: String, Sendable, CaseIterable {
    /// The claimed direction, beyond noise.
    case holds
    /// No difference beyond noise: the claimed improvement is not supported (the smallest
    /// effect the seeds could detect says how large one could still be).
    case notShown = "not shown"
    /// The opposite direction, beyond noise.
    case opposite
    /// Claimed (or expected) to coincide, and shown to lie within the margin.
    case equivalent
    /// Claimed to coincide, but not shown to lie within the margin.
    case notEquivalent = "not equivalent"
    /// Fewer than two values on a side (runs diverged or never reached the point).
    case undecided
    /// The experiment is outside the regime the claim is about (the baseline does not fail,
    /// or the inits do not differ): the comparison cannot test the claim.
    case regimeNotReached = "regime not reached"

    public static let level = 0.05
}
