@testable import DashboardCore
@testable import EmergentCore
import Testing

@Suite("The printed sweep heatmap's colours")
struct SweepHeatmapTextTests {
    /// A 3 × 3 sweep whose means rise cell by cell; cell 5 has no value and cell 8 diverged.
    static func result() throws -> SweepResult {
        let grid = SweepGrid(axes: [try SweepGrid.axis("alpha=1,1.2,1.5"), try SweepGrid.axis("lr=0.01,0.05,0.1")])
        let cells = (0..<9).map { index -> SweepResult.CellResult in
            let base = 0.80 + 0.01 * Double(index)
            let values: [Double] = index == 8 || index == 5 ? [] : [base, base + 0.01]
            return SweepResult.CellResult(
                indices: [index / 3, index % 3], label: "cell \(index)",
                values: ExperimentSummary.Statistic(values: values), seeds: 2, divergedAt: index == 8 ? [37] : [])
        }
        return SweepResult(grid: grid, metric: .standard, cellResults: cells)
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
