import Foundation

/// The emergence of a graph (emergence.md §1.3, §1.7), all values as natural logarithms so
/// that nothing overflows: E counts paths from inactive nodes into the active subgraph
/// (all paths from their first active node, including the length-0 one), E′ only those
/// that reach the last layer.
public struct EmergenceValue: Sendable, Equatable, Codable {
    /// ln E; −∞ when E = 0.
    public let logE: Double
    /// ln E′; −∞ when E′ = 0.
    public let logCompleteE: Double
    /// ln E_l per node layer: the share of E from the inactive nodes of layer l.
    public let layerLogE: [Double]
    public let activeFractions: [Double]

    public var log10E: Double { logE / M_LN10 }
    public var log10CompleteE: Double { logCompleteE / M_LN10 }
    /// log10(E / parameters): P2's relative emergence.
    public func log10Relative(parameters: Int) -> Double { (logE - Foundation.log(Double(parameters))) / M_LN10 }
}

public enum EmergenceMeasure {
    /// ln(e^a + e^b) without overflow; −∞ is the log of 0.
    @inline(__always)
    static func logAdd(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        let high = max(a, b), low = min(a, b)
        return high + log1p(exp(low - high))
    }

    /// The closed form for completely connected consecutive layers, in O(L):
    /// P_L = 1, P_k = 1 + a_{k+1}·P_{k+1}, E = Σ (n_l − a_l)·a_{l+1}·P_{l+1};
    /// complete paths: P′_L = 1, P′_k = a_{k+1}·P′_{k+1}.
    public static func layered(widths: [Int], active: [Int]) -> EmergenceValue {
        precondition(
            widths.count == active.count && zip(widths, active).allSatisfy { $1 >= 0 && $1 <= $0 },
            "need 0 ≤ active ≤ width per layer")
        let count = widths.count
        var logP = [Double](repeating: 0, count: count)  // ln P_k (P_k ≥ 1)
        var logCompleteP = [Double](repeating: 0, count: count)  // ln P′_k
        for k in stride(from: count - 2, through: 0, by: -1) {
            let logActive = active[k + 1] > 0 ? log(Double(active[k + 1])) : -Double.infinity
            logP[k] = logAdd(0, logActive + logP[k + 1])
            logCompleteP[k] = logActive + logCompleteP[k + 1]
        }
        var layerTerms = [Double](repeating: -.infinity, count: count)
        var logE = -Double.infinity, logCompleteE = -Double.infinity
        for l in 0..<(count - 1) where widths[l] > active[l] && active[l + 1] > 0 {
            let base = log(Double(widths[l] - active[l])) + log(Double(active[l + 1]))
            layerTerms[l] = base + logP[l + 1]
            logE = logAdd(logE, layerTerms[l])
            logCompleteE = logAdd(logCompleteE, base + logCompleteP[l + 1])
        }
        return EmergenceValue(
            logE: logE, logCompleteE: logCompleteE, layerLogE: layerTerms,
            activeFractions: zip(active, widths).map { Double($0) / Double(max($1, 1)) })
    }

    /// The general algorithm for any layered DAG (residual skips, sparse connections), in
    /// reverse topological order: P(v) = s_v·(1 + Σ_succ P(w)), E = Σ_v (1 − s_v)·Σ_succ P(w).
    /// Each layer's path counts are kept as a vector scaled to at most 1 with the log of the
    /// scale carried alongside, in Double: exact up to rounding, never overflowing.
    public static func general(_ graph: EmergenceGraph) -> EmergenceValue {
        let all = propagate(graph, completeOnly: false)
        let complete = propagate(graph, completeOnly: true)
        return EmergenceValue(
            logE: all.logE, logCompleteE: complete.logE, layerLogE: all.layerLogE,
            activeFractions: graph.layers.map { Double($0.activeCount) / Double(max($0.count, 1)) })
    }

    /// A vector with a common log scale: the true values are exp(logScale)·values.
    struct ScaledVector {
        var values: [Double]
        var logScale: Double

        /// Rescales so the largest entry is 1 (or leaves zeros alone).
        mutating func normalize() {
            guard let largest = values.max(), largest > 0 else { logScale = -.infinity; return }
            for i in values.indices { values[i] /= largest }
            logScale += log(largest)
        }
    }

    static func propagate(_ graph: EmergenceGraph, completeOnly: Bool) -> (logE: Double, layerLogE: [Double]) {
        let count = graph.layers.count
        var paths = [ScaledVector?](repeating: nil, count: count)
        var layerTerms = [Double](repeating: -.infinity, count: count)
        var logE = -Double.infinity
        let outgoing = Dictionary(grouping: graph.connections, by: \.from)
        for l in stride(from: count - 1, through: 0, by: -1) {
            let layer = graph.layers[l]
            // Σ over successors w of P(w), per node of this layer, on a common scale.
            let successors = (outgoing[l] ?? []).map { successorSum($0, paths[$0.to]!, width: layer.count) }
            let logScale = successors.map(\.logScale).max() ?? -.infinity
            var sums = [Double](repeating: 0, count: layer.count)
            for successor in successors where successor.logScale > -.infinity {
                let factor = exp(successor.logScale - logScale)
                for v in 0..<layer.count { sums[v] += factor * successor.values[v] }
            }
            // E_l from inactive nodes.
            var inactiveSum = 0.0
            for v in 0..<layer.count where !layer.active[v] { inactiveSum += sums[v] }
            if inactiveSum > 0 && logScale > -.infinity {
                layerTerms[l] = log(inactiveSum) + logScale
                logE = logAdd(logE, layerTerms[l])
            }
            // P for this layer: s·(1 + Σ) for all paths; s·Σ (or s at the last layer) for complete paths.
            var vector: ScaledVector
            if l == count - 1 {
                vector = ScaledVector(values: layer.active.map { $0 ? 1 : 0 }, logScale: 0)
            } else if completeOnly {
                vector = ScaledVector(values: zip(layer.active, sums).map { $0 ? $1 : 0 }, logScale: logScale)
            } else {
                // 1 + Σ on the scale of Σ: the 1 becomes e^(−logScale) (≥ 1 when Σ < 1).
                let scale = max(logScale, 0)
                let one = exp(-scale), shift = logScale > -.infinity ? exp(logScale - scale) : 0
                vector = ScaledVector(
                    values: zip(layer.active, sums).map { $0 ? one + shift * $1 : 0 }, logScale: scale)
            }
            vector.normalize()
            paths[l] = vector
        }
        return (logE, layerTerms)
    }

    /// Mᵀp for one connection: for each node of the `from` layer, the sum of P over the
    /// nodes it reaches in the `to` layer.
    static func successorSum(_ connection: EmergenceGraph.Connection, _ p: ScaledVector, width: Int) -> ScaledVector {
        switch connection.kind {
        case .complete:
            let total = p.values.reduce(0, +)
            return ScaledVector(values: Array(repeating: total, count: width), logScale: p.logScale)
        case .identity:
            return p
        case let .explicit(edges):
            return ScaledVector(values: edges.map { $0.reduce(0) { $0 + p.values[$1] } }, logScale: p.logScale)
        }
    }
}
