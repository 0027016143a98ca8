@testable import DashboardCore
@testable import EmergentCore
import Testing

@Suite("The printed sweep heatmap's colours")
struct SweepHeatmapTextTests {
    /// One α and two learning rates over two seeds: the worst cell at 80.50 %, the best at 87.50 %.
    static func result() throws -> SweepResult {
        let worst = SweepResult.CellResult(
            indices: [0, 0], label: "lr=0.01", values: ExperimentSummary.Statistic(values: [0.80, 0.81]), seeds: 2,
            divergedAt: [])
        let best = SweepResult.CellResult(
            indices: [0, 1], label: "lr=0.1", values: ExperimentSummary.Statistic(values: [0.87, 0.88]), seeds: 2,
            divergedAt: [])
        return SweepResult(
            grid: SweepGrid(axes: [try SweepGrid.axis("alpha=1"), try SweepGrid.axis("lr=0.01,0.1")]), metric: .standard, cellResults: [worst, best])
    }

    @Test("colour comes from the theme's heat ramp, as 256-colour escapes, and adds escapes only")
    func themeColours() throws {
        let result = try Self.result()
        let colored = SweepHeatmapText.render(result, width: 100, theme: .builtIn)
        // The default ramp's worst step is xterm-256 colour 52, its best 34 (the ramp the heatmap always had).
        #expect(colored.contains("\u{1B}[38;5;34m  87.50*\u{1B}[0m"), "the best cell in the top colour")
        #expect(colored.contains("\u{1B}[38;5;52m   80.50\u{1B}[0m"), "the worst in the bottom colour")
        #expect(colored.contains("\u{1B}[0m"))
        #expect(colored.replacing(/\x1B\[[0-9;]*m/, with: "") == SweepHeatmap.render(result, width: 100))
        #expect(SweepHeatmapText.render(result, width: 100) == SweepHeatmap.render(result, width: 100))
    }

    @Test("a theme's own heat colours reach the printed heatmap")
    func customTheme() throws {
        let theme = try Theme(parsing: "theme[heat_1]=\"1\"\ntheme[heat_8]=\"2\"", name: "t", file: "t.theme")
        let colored = SweepHeatmapText.render(try Self.result(), width: 100, theme: theme)
        #expect(colored.contains("\u{1B}[38;5;1m") && colored.contains("\u{1B}[38;5;2m"))
    }
}
