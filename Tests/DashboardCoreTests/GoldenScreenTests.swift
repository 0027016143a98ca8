@testable import DashboardCore
@testable import EmergentCore
import Foundation
import Testing

/// Whole screens compared with files in `Goldens/`: the characters, then one letter per cell
/// naming its style, then what each letter means. `EMERGENT_UPDATE_GOLDENS=1 swift test`
/// rewrites them (review the diff before committing). The clock, CPU, throughput and ETA are
/// frozen, and the snapshots are built from fixed events, so a screen is the same every run.
@Suite("Dashboard screens against golden files")
struct GoldenScreenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    /// The text of a golden file for one buffer.
    static func golden(_ buffer: CellBuffer) -> String {
        var letters: [Style: Character] = [:], legend: [String] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var styleRows: [String] = []
        for y in 0..<buffer.height {
            var row = ""
            for x in 0..<buffer.width {
                let style = buffer[x, y].style
                if letters[style] == nil {
                    let letter = letters.count < alphabet.count ? alphabet[letters.count] : "?"
                    letters[style] = letter
                    legend.append("\(letter): \(describe(style))")
                }
                row.append(letters[style]!)
            }
            styleRows.append(row)
        }
        return buffer.text + "\n--- styles\n" + styleRows.joined(separator: "\n") + "\n--- legend\n"
            + legend.joined(separator: "\n") + "\n"
    }

    static func describe(_ style: Style) -> String {
        func color(_ c: TerminalColor) -> String {
            switch c {
            case .terminalDefault: "default"
            case let .ansi(index): "ansi\(index)"
            case let .rgb(r, g, b): String(format: "#%02x%02x%02x", r, g, b)
            }
        }
        let attributes = [
            ("bold", style.bold), ("dim", style.dim), ("reverse", style.reverse), ("underline", style.underline),
        ]
        .filter(\.1).map(\.0)
        return "fg \(color(style.foreground)) bg \(color(style.background))"
            + (attributes.isEmpty ? "" : " " + attributes.joined(separator: " "))
    }

    static func state(symbols: LineChart.Symbols = .braille) throws -> DashboardState {
        var state = try DashboardStateTests.state()
        state.frozenClock = true
        state.symbols = symbols
        return state
    }

    /// A 2 × 2 sweep over the fixture's two runs: run 0 finished, run 1 diverged, the other
    /// cells' runs not started (ids the fixture does not have).
    static func plan() -> SweepPlan {
        let grid = SweepGrid(axes: [try! SweepGrid.axis("alpha=1,1.2"), try! SweepGrid.axis("lr=0.02,0.05")])
        return SweepPlan(
            grid: grid, metric: .standard,
            cells: [
                .init(indices: [0, 0], label: "alpha=1 lr=0.02", runIDs: [0]),
                .init(indices: [0, 1], label: "alpha=1 lr=0.05", runIDs: [1]),
                .init(indices: [1, 0], label: "alpha=1.2 lr=0.02", runIDs: [8]),
                .init(indices: [1, 1], label: "alpha=1.2 lr=0.05", runIDs: [9]),
            ])
    }

    static func sweepState(symbols: LineChart.Symbols = .braille) throws -> DashboardState {
        var state = try Self.state(symbols: symbols)
        var runs = state.runs
        runs[0].apply(.finished(step: 20))
        runs[1].apply(.diverged(step: 20, loss: .nan))
        _ = state.handle(.snapshots(runs, elapsed: 65, cpu: 1.5))
        state.sweep = plan()
        return state
    }

    static func check(_ name: String, _ buffer: CellBuffer) throws {
        let url = directory.appendingPathComponent(name + ".txt")
        let actual = golden(buffer)
        if ProcessInfo.processInfo.environment["EMERGENT_UPDATE_GOLDENS"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(
            actual == expected, "\(name) differs from its golden; EMERGENT_UPDATE_GOLDENS=1 rewrites it\n\(buffer.text)"
        )
    }

    @Test(
        "the whole screen, dark with braille and monochrome with ASCII, at every size",
        arguments: [(0, 0), (1, 1), (2, 2), (60, 20), (80, 24), (120, 40), (200, 60)])
    func screens(width: Int, height: Int) throws {
        try Self.check(
            "dark-braille-\(width)x\(height)",
            DashboardView.render(try Self.state(), width: width, height: height, theme: .builtIn))
        try Self.check(
            "mono-ascii-\(width)x\(height)",
            DashboardView.render(
                try Self.state(symbols: .ascii), width: width, height: height, theme: Theme.builtIn.monochrome()))
    }

    @Test("each pane expanded, at 80×24 and 120×40", arguments: DashboardState.Pane.allCases)
    func panes(pane: DashboardState.Pane) throws {
        var state = pane == .sweep ? try Self.sweepState() : try Self.state()
        state.pane = pane
        state.zoomed = true
        for (width, height) in [(80, 24), (120, 40)] {
            try Self.check(
                "pane-\(pane.rawValue)-\(width)x\(height)",
                DashboardView.render(state, width: width, height: height, theme: .builtIn))
        }
    }

    @Test("a sweep: the heatmap heads the right column (tall) or takes it (short), in colour and in monochrome")
    func sweepScreens() throws {
        for (width, height) in [(80, 24), (120, 40)] {
            try Self.check(
                "sweep-dark-\(width)x\(height)",
                DashboardView.render(try Self.sweepState(), width: width, height: height, theme: .builtIn))
        }
        try Self.check(
            "sweep-mono-120x40",
            DashboardView.render(
                try Self.sweepState(symbols: .ascii), width: 120, height: 40, theme: Theme.builtIn.monochrome()))
        var focused = try Self.sweepState()
        focused.pane = .emergence
        let short = DashboardView.render(focused, width: 80, height: 24, theme: .builtIn).text
        #expect(
            short.contains("log10 E") && !short.contains("sweep ·"), "emergence focused takes the short column back")
        var plain = try Self.state()
        plain.pane = .sweep
        plain.zoomed = true
        #expect(
            DashboardView.render(plain, width: 120, height: 40, theme: .builtIn).text.contains("not a sweep"),
            "the pane says what it is for when the runs are not a sweep")
    }

    @Test("overlays: help at 80×24 and 200×60, the init picker at 120×40")
    func overlays() throws {
        var state = try Self.state()
        state.showsHelp = true
        try Self.check("help-80x24", DashboardView.render(state, width: 80, height: 24, theme: .builtIn))
        try Self.check("help-200x60", DashboardView.render(state, width: 200, height: 60, theme: .builtIn))
        state.showsHelp = false
        state.picker = 3
        try Self.check("picker-120x40", DashboardView.render(state, width: 120, height: 40, theme: .builtIn))
    }

    @Test("a golden differs when one cell's character or style does (the comparison is not vacuous)")
    func sensitivity() throws {
        let buffer = DashboardView.render(try Self.state(), width: 80, height: 24, theme: .builtIn)
        var changed = buffer
        changed[10, 10] = CellBuffer.Cell("#", style: buffer[10, 10].style)
        #expect(Self.golden(changed) != Self.golden(buffer))
        var restyled = buffer
        restyled[10, 10] = CellBuffer.Cell(buffer[10, 10].character, style: Style(bold: true))
        #expect(Self.golden(restyled) != Self.golden(buffer))
    }
}
