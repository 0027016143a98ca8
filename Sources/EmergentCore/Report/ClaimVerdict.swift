/// What the seeds say about one comparison, at the 5% level of Welch's two-sided test.
public enum ClaimVerdict: String, Sendable, CaseIterable {
    /// The claimed direction, beyond noise.
    case holds
    /// No difference beyond noise (the claim of an improvement is not supported).
    case notShown = "not shown"
    /// The opposite direction, beyond noise, or every treatment run diverged.
    case opposite
    /// Claimed to coincide, and no difference beyond noise.
    case coincides
    /// Claimed to coincide, but different beyond noise.
    case differs
    /// Too few values on one side (fewer than two seeds reached the point), or both sides
    /// diverged.
    case undecided

    public static let level = 0.05
}
