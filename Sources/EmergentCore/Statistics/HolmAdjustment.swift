/// Holm's step-down adjustment of a family of p-values (as statsmodels'
/// `multipletests(p, method="holm")`): the i-th smallest of m is multiplied by m − i + 1, made
/// non-decreasing along the order and capped at 1. A nan p (a comparison without a test)
/// stays nan and is not counted in m.
public enum HolmAdjustment {
    public static func adjusted(_ pValues: [Double]) -> [Double] {
        let order = pValues.indices.filter { !pValues[$0].isNaN }.sorted { pValues[$0] < pValues[$1] }
        var result = pValues.map { $0.isNaN ? Double.nan : 1 }
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(order.count - rank) * pValues[index]))
            result[index] = running
        }
        return result
    }
}
