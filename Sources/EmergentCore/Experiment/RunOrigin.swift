/// A run's provenance: its place in the experiment's list of runs (seeds expanded, controls
/// added), then the forks' edits, oldest first. The experiment document, this and the seed
/// rebuild the configuration exactly.
public struct RunOrigin: Sendable, Hashable {
    public var entry = 0
    /// Each fork's edit as the words `RunEdit(parsing:)` reads.
    public var edits: [[String]] = []

    public init(entry: Int = 0, edits: [[String]] = []) {
        self.entry = entry
        self.edits = edits
    }
}
