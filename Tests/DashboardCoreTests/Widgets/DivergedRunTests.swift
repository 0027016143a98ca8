@testable import DashboardCore
@testable import EmergentCore
import Foundation
import Testing

/// One diverged run must not ruin the chart or a group's figures.
@Suite("A diverged run: axes fit the others, rows say where it diverged")
struct DivergedRunTests {
    /// Three seeds; seed 2 climbs to 1e30 and diverges at step 30.
    static func runs() throws -> [RunSnapshot] {
        try SeedGroupFiguresTests.members(steps: [40, 40, 30]).enumerated().map { index, run in
            var run = run
            if index == 2 {
                run.apply(
                    .step(
                        StepRecord(
                            step: 31, epoch: 0, loss: 1e30, accuracy: 0, learningRate: 0.05, gradientNorm: 1e20,
                            samples: 128, samplesPerSecond: 1, wallTime: 31)))
                run.apply(.diverged(step: 31, loss: .nan))
            }
            return run
        }
    }

    @Test("the y axis fits the finite curves of the runs that did not diverge; the diverged one runs off the edge to its marker")
    func axesFitTheOthers() throws {
        var state = DashboardState(experiment: "test", dataset: "d", model: "mlp")
        _ = state.handle(.snapshots(try Self.runs(), elapsed: 1, cpu: nil))
        _ = state.handle(.key(.right))  // open the group: each seed its own curve
        for symbols in LineChart.Symbols.allCases {
            state.symbols = symbols
            let screen = DashboardView.render(state, width: 200, height: 60, theme: .builtIn).text
            #expect(!screen.contains("1e+30") && !screen.contains("e+2"), "\(symbols): the axis is not stretched")
            #expect(screen.contains("diverged at step 31"), "\(symbols)")
            #expect(!screen.contains("nan"), "\(symbols)")
        }
        let chart = LineChart(
            series: [
                .init(points: [(0, 1), (10, 0.5)], color: .terminalDefault),
                .init(points: [(0, 1), (5, 1e30)], color: .terminalDefault, fitsAxes: false),
            ], logY: true)
        let ranges = try #require(chart.ranges())
        #expect(ranges.y.upperBound < 1, "log10 of 1 is the top, not 30: \(ranges.y)")
    }

    @Test("a run read from a folder no process writes says where it stopped")
    func stoppedRow() throws {
        var run = try SeedGroupFiguresTests.members(steps: [250])[0]
        run.status = .stopped
        let row = try SeedGroupFiguresTests.row([run], containing: "kaiming")
        #expect(row.contains("stopped at epoch 2") && !row.contains("training"), "\(row)")
    }

    @Test("the group row averages the finite values and says how many diverged; never -nan±-nan")
    func groupRow() throws {
        let runs = try Self.runs()
        var state = DashboardState(experiment: "test", dataset: "d", model: "mlp")
        _ = state.handle(.snapshots(runs, elapsed: 1, cpu: nil))
        let screen = DashboardView.render(state, width: 200, height: 60, theme: .builtIn).text
        let row = try #require(screen.split(separator: "\n").first { $0.contains("kaiming ×3") })
        #expect(row.contains("1 diverged") && !row.contains("nan"), "\(row)")
        // At the common step 31? No: the diverged member stopped at 31; the others are at 40:
        // the row is at step 31, where the two others' losses are 1/31 and 1/31 + 1.
        #expect(DashboardView.statistic([.nan, 1, 3], digits: 1) == "2.0±1.4")
    }
}
