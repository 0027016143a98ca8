@testable import EmergentCore
import Foundation
import Testing

@Suite("Emergence measure")
struct EmergenceMeasureTests {
    static func layers(widths: [Int], active: [Int]) -> [EmergenceGraph.NodeLayer] {
        zip(widths, active).enumerated().map { index, pair in
            EmergenceGraph.NodeLayer(name: "l\(index)", active: (0..<pair.0).map { $0 < pair.1 })
        }
    }

    /// Counts paths by walking every one of them (depth-first): for each inactive node x
    /// and each active successor y, the paths inside the active subgraph starting at y
    /// (length 0 included); complete paths must end in the last layer.
    static func bruteForce(_ graph: EmergenceGraph) -> (e: Double, complete: Double) {
        var offsets: [Int] = []
        var total = 0
        for layer in graph.layers { offsets.append(total); total += layer.count }
        var active = [Bool](), layerOf = [Int]()
        for (index, layer) in graph.layers.enumerated() {
            active += layer.active; layerOf += Array(repeating: index, count: layer.count)
        }
        var successors = [[Int]](repeating: [], count: total)
        for connection in graph.connections {
            let from = graph.layers[connection.from], to = graph.layers[connection.to]
            for i in 0..<from.count {
                let targets: [Int]
                switch connection.kind {
                case .complete: targets = Array(0..<to.count)
                case .identity: targets = [i]
                case let .explicit(edges): targets = edges[i]
                }
                successors[offsets[connection.from] + i] += targets.map { offsets[connection.to] + $0 }
            }
        }
        let last = graph.layers.count - 1
        func walk(_ node: Int) -> (all: Double, complete: Double) {
            var all = 1.0, complete = layerOf[node] == last ? 1.0 : 0.0
            for next in successors[node] where active[next] {
                let below = walk(next)
                all += below.all
                complete += below.complete
            }
            return (all, complete)
        }
        var e = 0.0, complete = 0.0
        for node in 0..<total where !active[node] {
            for next in successors[node] where active[next] {
                let counts = walk(next)
                e += counts.all
                complete += counts.complete
            }
        }
        return (e, complete)
    }

    static func expectMatches(_ value: EmergenceValue, e: Double, complete: Double, _ label: String) {
        #expect(abs(exp(value.logE) - e) <= 1e-9 * max(e, 1), "\(label): E \(exp(value.logE)) vs \(e)")
        #expect(
            abs(exp(value.logCompleteE) - complete) <= 1e-9 * max(complete, 1),
            "\(label): E′ \(exp(value.logCompleteE)) vs \(complete)")
    }

    @Test("the spec's test vectors: 8 and 6, 35 and 22")
    func vectors() {
        for (widths, active, e, complete) in [
            ([2, 3, 2], [1, 2, 2], 8.0, 6.0), ([4, 3, 3, 2], [1, 1, 2, 2], 35.0, 22.0),
        ] {
            Self.expectMatches(
                EmergenceMeasure.layered(widths: widths, active: active), e: e, complete: complete,
                "closed form \(widths)")
            let graph = EmergenceGraph.layered(Self.layers(widths: widths, active: active))
            Self.expectMatches(EmergenceMeasure.general(graph), e: e, complete: complete, "general \(widths)")
            Self.expectMatches(
                EmergenceMeasure.general(graph), e: Self.bruteForce(graph).e, complete: Self.bruteForce(graph).complete,
                "brute \(widths)")
        }
    }

    @Test("random small graphs: both fast algorithms equal brute-force enumeration, with and without skips")
    func randomGraphs() {
        var generator = SeededRandom(seed: 77)
        for trial in 0..<60 {
            let depth = 2 + Int(generator.next() % 4)
            let widths = (0..<depth).map { _ in 1 + Int(generator.next() % 4) }
            let layers = widths.enumerated().map { index, width in
                EmergenceGraph.NodeLayer(name: "l\(index)", active: (0..<width).map { _ in generator.uniform() < 0.6 })
            }
            let layered = EmergenceGraph.layered(layers)
            let brute = Self.bruteForce(layered)
            Self.expectMatches(
                EmergenceMeasure.general(layered), e: brute.e, complete: brute.complete, "layered \(trial)")
            Self.expectMatches(
                EmergenceMeasure.layered(widths: widths, active: layers.map(\.activeCount)),
                e: brute.e, complete: brute.complete, "closed form \(trial)")
            // Skip edges (identity where widths agree, sparse random otherwise) and sparse layers.
            var connections: [EmergenceGraph.Connection] = []
            for from in 0..<(depth - 1) {
                let edges = (0..<widths[from]).map { _ in
                    (0..<widths[from + 1]).filter { _ in generator.uniform() < 0.7 }
                }
                connections.append(.init(from: from, to: from + 1, kind: .explicit(edges)))
                for to in (from + 2)..<max(depth, from + 2) where generator.uniform() < 0.5 {
                    if widths[from] == widths[to] && generator.uniform() < 0.5 {
                        connections.append(.init(from: from, to: to, kind: .identity))
                    } else {
                        let skips = (0..<widths[from]).map { _ in
                            (0..<widths[to]).filter { _ in generator.uniform() < 0.5 }
                        }
                        connections.append(.init(from: from, to: to, kind: .explicit(skips)))
                    }
                }
            }
            let skipped = EmergenceGraph(layers: layers, connections: connections)
            let skippedBrute = Self.bruteForce(skipped)
            Self.expectMatches(
                EmergenceMeasure.general(skipped), e: skippedBrute.e, complete: skippedBrute.complete, "skips \(trial)")
        }
    }

    @Test("all active or all inactive gives E = 0 (log −∞), never NaN")
    func extremes() {
        for fraction in [1, 0] {
            let widths = [5, 4, 3]
            let value = EmergenceMeasure.layered(widths: widths, active: widths.map { $0 * fraction })
            #expect(value.logE == -.infinity && value.logCompleteE == -.infinity)
            let general = EmergenceMeasure.general(
                EmergenceGraph.layered(Self.layers(widths: widths, active: widths.map { $0 * fraction })))
            #expect(general.logE == -.infinity && !general.logE.isNaN)
        }
    }

    @Test("the maximum profile: first layer inactive, the rest active, E = n₀·a₁·P₁; and it is the maximum")
    func maximum() {
        let widths = [3, 2, 2]
        // P_2 = 1, P_1 = 1 + 2·1 = 3; E = 3·2·3 = 18.
        let best = EmergenceMeasure.layered(widths: widths, active: [0, 2, 2])
        #expect(abs(exp(best.logE) - 18) < 1e-9)
        for a0 in 0...3 {
            for a1 in 0...2 {
                for a2 in 0...2 {
                    #expect(EmergenceMeasure.layered(widths: widths, active: [a0, a1, a2]).logE <= best.logE + 1e-12)
                }
            }
        }
    }

    @Test("a 100-layer, 4096-wide network: finite logs in both algorithms, which agree")
    func deepAndWide() {
        let widths = Array(repeating: 4096, count: 100)
        let active = (0..<100).map { $0 == 0 ? 100 : 4000 }
        let closed = EmergenceMeasure.layered(widths: widths, active: active)
        let general = EmergenceMeasure.general(EmergenceGraph.layered(Self.layers(widths: widths, active: active)))
        #expect(closed.logE.isFinite && closed.logE > 800)  // ≈ 99·ln 4000 ≈ 821
        #expect(abs(closed.logE - general.logE) < 1e-9 * closed.logE)
        #expect(abs(closed.logCompleteE - general.logCompleteE) < 1e-9 * closed.logCompleteE)
        #expect(closed.layerLogE.allSatisfy { !$0.isNaN })
    }

    @Test("per-layer terms add up to E")
    func layerTerms() {
        let value = EmergenceMeasure.layered(widths: [4, 3, 3, 2], active: [1, 1, 2, 2])
        let sum = value.layerLogE.filter { $0 > -.infinity }.map { exp($0) }.reduce(0, +)
        #expect(abs(sum - 35) < 1e-9)
        #expect(value.activeFractions == [0.25, 1.0 / 3, 2.0 / 3, 1])
    }
}
