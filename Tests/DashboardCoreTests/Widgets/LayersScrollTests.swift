@testable import DashboardCore
@testable import EmergentCore
import Foundation
import Testing

/// A layer table with more layers than rows scrolls and says how many it hides.
@Suite("The layer table scrolls and says what it hides")
struct LayersScrollTests {
    static func state() throws -> DashboardState {
        var run = try SeedGroupFiguresTests.members(steps: [20])[0]
        let layers = (1...12).map { index in
            LayerMeasurement(
                name: "dense\(index)", shape: [16, 16], scale: 1, log10E: Double(12 - index), activeFraction: 0.8,
                weightRMS: 0.05, activationMean: 0.3, activationStd: 1, gradientNorm: 0.5, log10UpdateRatio: -3,
                deadFraction: 0, saturatedFraction: nil)
        }
        run.apply(
            .measured(MeasurementRecord(step: 20, log10E: 3, log10CompleteE: 3, log10Relative: -2, layers: layers, wallTime: 20)))
        var state = DashboardState(experiment: "test", dataset: "d", model: "mlp")
        _ = state.handle(.snapshots([run], elapsed: 1, cpu: nil))
        _ = state.handle(.resized(width: 80, height: 24))
        return state
    }

    @Test("at 80×24 the table shows the first layers and ↓ N more; focused, ↓ scrolls to the last and says how many are above")
    func scrolls() throws {
        var state = try Self.state()
        let first = DashboardView.render(state, width: 80, height: 24, theme: .builtIn).text
        let shown = (1...12).filter { first.contains("dense\($0) ") }
        #expect(shown.first == 1 && shown.count < 12, "\(shown)")
        #expect(first.contains("↓ \(12 - shown.count) more"), "\(first)")
        while state.pane != .layers { _ = state.handle(.key(.tab)) }
        for _ in 0..<20 { _ = state.handle(.key(.down)) }
        let last = DashboardView.render(state, width: 80, height: 24, theme: .builtIn).text
        #expect(last.contains("dense12 ") && !last.contains("dense1 "), "\(last)")
        #expect(last.contains("↑ \(12 - shown.count) above") && !last.contains("more"), "\(last)")
        #expect(state.selected == 0, "↓ scrolled the table, it did not move the selection")
    }
}

@Suite("The layers of every run side by side")
struct LayersOfAllRunsTests {
    @Test("v: the seeds of one entry get headers of their own, and a long name ends in …, not mid-word")
    func uniqueHeaders() throws {
        var runs = try SeedGroupFiguresTests.members(steps: [20, 20, 20])
        let layer = LayerMeasurement(
            name: "dense1", shape: [16, 16], scale: 1, log10E: 2, activeFraction: 0.8, weightRMS: 0.05,
            activationMean: 0.3, activationStd: 1, gradientNorm: 0.5, log10UpdateRatio: -3, deadFraction: 0,
            saturatedFraction: nil)
        for index in runs.indices {
            runs[index].apply(
                .measured(MeasurementRecord(step: 20, log10E: 3, log10CompleteE: 3, log10Relative: -2, layers: [layer], wallTime: 20)))
        }
        var state = DashboardState(experiment: "test", dataset: "d", model: "mlp")
        _ = state.handle(.snapshots(runs, elapsed: 1, cpu: nil))
        _ = state.handle(.key(.character("v")))
        let text = DashboardView.render(state, width: 200, height: 60, theme: .builtIn).text
        #expect(text.contains("kaiming s0") && text.contains("kaiming s1") && text.contains("kaiming s2"), "\(text)")
    }
}

@Suite("Runs told apart without colour")
struct MonochromeMarksTests {
    @Test("under NO_COLOR each run has its own mark in the legend and on its line, in ASCII and in braille")
    func marks() throws {
        var state = try DashboardStateTests.state()
        for symbols in [LineChart.Symbols.ascii, .braille] {
            state.symbols = symbols
            let text = DashboardView.render(state, width: 120, height: 40, theme: Theme.builtIn.monochrome()).text
            #expect(text.contains("* kaiming  + emergence:alpha=1.2"), "\(symbols)")
            let curves = text.split(separator: "\n").dropFirst(7).prefix(22).map { $0.dropFirst(9).prefix(62) }.joined()
            #expect(curves.contains("+") && curves.contains("*"), "\(symbols): both marks on the curves")
        }
        // With colour, the swatches are the legend.
        #expect(DashboardView.render(state, width: 120, height: 40, theme: .builtIn).text.contains("■ kaiming  ■ emergence"))
    }
}
