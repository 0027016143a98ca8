import EmergentCore

extension Array where Element == SeriesHistory.Point {
    /// The series' value at `x`, linear between the neighbouring points (found by binary
    /// search: the points are in increasing x); the last value after the end; before the
    /// start, the first value, or a line from (0, 0) to it when `fromOrigin` (a clock); nil
    /// when empty.
    func interpolated(at x: Double, fromOrigin: Bool = false) -> Double? {
        guard let last else { return nil }
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].x < x { low = middle + 1 } else { high = middle }
        }
        guard low < count else { return last.y }
        let b = self[low]
        guard b.x != x else { return b.y }
        guard low > 0 else { return fromOrigin ? b.y * x / Swift.max(b.x, 1) : b.y }
        let a = self[low - 1]
        return a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)
    }
}
