/// Per-node statistics of one signal over the probe batch: the node axis is the last one of
/// a [rows, nodes] matrix and axis 1 of [batch, channels, height, width] images (channel-
/// level nodes), pooled over everything else.
struct NodeActivity {
    /// Mean |h| per node.
    var meanMagnitude: [Double]
    /// Whether the node was exactly 0 on every sample (a dead ReLU unit).
    var alwaysZero: [Bool]
    /// Mean and standard deviation of all values.
    var mean: Double
    var standardDeviation: Double
    /// Fraction of values with |h| ≥ 0.99 (meaningful for tanh).
    var saturatedFraction: Double

    init(_ tensor: Tensor) {
        let nodes: Int, inner: Int
        if tensor.rank == 4 {
            nodes = tensor.shape[1]
            inner = tensor.shape[2] * tensor.shape[3]
        } else {
            nodes = tensor.shape.last ?? 0
            inner = 1
        }
        var magnitude = [Double](repeating: 0, count: nodes)
        var zero = [Bool](repeating: true, count: nodes)
        var sum = 0.0, squares = 0.0, saturated = 0
        tensor.scalars.withUnsafeBufferPointer { h in
            let outer = h.count / max(nodes * inner, 1)
            for o in 0..<outer {
                for v in 0..<nodes {
                    let base = (o * nodes + v) * inner
                    var nodeSum = 0.0
                    for i in 0..<inner {
                        let x = Double(h[base + i])
                        nodeSum += abs(x)
                        sum += x
                        squares += x * x
                        if abs(x) >= 0.99 { saturated += 1 }
                    }
                    magnitude[v] += nodeSum
                    if nodeSum != 0 { zero[v] = false }
                }
            }
        }
        let perNode = Double(max(tensor.count / max(nodes, 1), 1))
        meanMagnitude = magnitude.map { $0 / perNode }
        alwaysZero = zero
        let n = Double(max(tensor.count, 1))
        mean = sum / n
        standardDeviation = max(squares / n - mean * mean, 0).squareRoot()
        saturatedFraction = Double(saturated) / n
    }
}
