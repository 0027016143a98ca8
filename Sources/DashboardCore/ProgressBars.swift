import EmergentCore

/// `run`'s progress on a terminal: one bar per run, each frame drawn over the last (the
/// cursor moved up over it, each line cleared first).
public struct ProgressBars: Sendable {
    private var drawnLines = 0

    public init() {}

    public mutating func frame(_ runs: [RunSnapshot], elapsed: Double) -> String {
        let lines = runs.map { ProgressText.bar($0, elapsed: elapsed) }
        let up = drawnLines > 0 ? "\u{1B}[\(drawnLines)A" : ""
        drawnLines = lines.count
        return up + lines.map { "\u{1B}[2K" + $0 + "\n" }.joined()
    }
}
