/// Per-node statistics of one signal over the probe batch: the node axis is the last one of
/// a [rows, nodes] matrix and axis 1 of [batch, channels, height, width] images (channel-
/// level nodes), pooled over everything else.
import Kernels

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
        var saturated = 0
        var moments = (sum: 0.0, squares: 0.0)
        tensor.scalars.withUnsafeBufferPointer { h in
            guard let base = h.baseAddress, nodes > 0 else { return }
            moments = VectorStatistics.sumAndSquares(base, count: h.count)
            magnitude.withUnsafeMutableBufferPointer { magnitude in
                if inner == 1 {
                    saturated = VectorStatistics.columnMagnitudes(
                        base, rows: h.count / nodes, columns: nodes,
                        into: magnitude.baseAddress!, saturation: 0.99)
                    return
                }
                // Images: each (sample, channel) plane is one contiguous row of `inner` values.
                for plane in 0..<(h.count / inner) {
                    let planeSum = VectorStatistics.absoluteSum(base + plane * inner, count: inner, saturation: 0.99)
                    magnitude[plane % nodes] += planeSum.sum
                    saturated += planeSum.saturated
                }
            }
        }
        let perNode = Double(max(tensor.count / max(nodes, 1), 1))
        meanMagnitude = magnitude.map { $0 / perNode }
        alwaysZero = magnitude.map { $0 == 0 }
        let n = Double(max(tensor.count, 1))
        mean = moments.sum / n
        standardDeviation = max(moments.squares / n - mean * mean, 0).squareRoot()
        saturatedFraction = Double(saturated) / n
    }
}
