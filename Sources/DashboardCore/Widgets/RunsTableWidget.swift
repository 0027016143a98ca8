import EmergentCore
import Foundation

/// The runs table: one row per run or seed group, mean ± std and p against the selected row.
extension DashboardView {
    static func runsTable(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let filtered = state.filter.map { filter in
            " · / \(filter): \(state.rows.count) of \(RunRow.rows(state.runs, expanded: state.expandedGroups).count) rows"
        }
        box("runs" + (filtered ?? ""), area, focused: state.pane == .runs, &buffer, theme: theme)
        let inner = area.inset(1)
        let compactLabels = inner.width < 100
        let metric = compactLabels ? "acc %" : state.isTranslation ? "tok acc %" : "test acc %"
        // Narrow terminals drop the throughput and ETA columns and give the label what is left.
        let compact = inner.width < 100
        let (statusWidth, stepWidth, valueWidth) = compact ? (11, 10, 9) : (13, 12, 13)
        // The p column comes in where the label keeps its full width.
        let showsP = inner.width >= 150
        let fixed = statusWidth + 8 + stepWidth + 3 * valueWidth + (compact ? 0 : 18) + (showsP ? 8 : 0)
        let labelWidth = min(max(inner.width - 2 - fixed, 8), 32)
        let header =
            "  " + pad("run", labelWidth) + pad("status", statusWidth) + pad("epoch", 8) + pad("step", stepWidth)
            + pad("loss", valueWidth, right: true) + pad(metric, valueWidth, right: true)
            + pad("best %", valueWidth, right: true)
            + (showsP ? pad("p", 8, right: true) : "")
            + (compact ? "" : pad("samples/s", 11, right: true) + pad("eta", 7, right: true))
        // Welch's test of each row's test metric against the selected row's (seed groups of two or more).
        let rows = state.rows
        let selectedValues =
            rows.indices.contains(state.selected) ? testValues(rows[state.selected].runs.map { state.runs[$0] }) : []
        buffer.write(
            header, x: inner.x, y: inner.y, style: Style(foreground: theme["graph_text"]), maxWidth: inner.width)
        for (index, row) in rows.enumerated() where index + 1 < inner.height {
            let y = inner.y + 1 + index
            let members = row.runs.map { state.runs[$0] }, first = members[0]
            let selected = index == state.selected
            var style = Style(
                foreground: selected ? theme["selected_fg"] : theme["main_fg"],
                background: selected ? theme["selected_bg"] : theme["main_bg"],
                reverse: selected && theme.isMonochrome)
            if members.contains(where: { $0.status == .diverged || $0.status == .failed }) {
                style.foreground = theme["status_error"]
                style.bold = theme.isMonochrome
            }
            // A group's figures at its common point, worked out once a row; a single run's are its own.
            let group = members.count > 1 ? SeedGroupFigures(members) : nil
            let single = group == nil
            let label: String
            switch row.kind {
            case .single: label = first.config.label + (first.config.seed == 0 ? "" : " s\(first.config.seed)")
            case let .group(expanded):
                label =
                    (expanded ? "▾ " : "▸ ") + first.config.label + " ×\(members.count)"
                    + (group.map { $0.covered < members.count ? " (\($0.covered) in figures)" : "" } ?? "")
            case .member: label = "  seed \(first.config.seed)"
            }
            let status =
                members.count > 1
                ? (Set(members.map(\.status)).count == 1
                    ? first.status.rawValue
                    : members.contains { $0.status == .diverged }
                        ? "\(members.filter { $0.status == .diverged }.count) diverged" : "mixed")
                : first.status == .initializing
                    ? String(format: "init %3.0f%%", 100 * first.initProgress)
                    : first.clusterState ?? first.status.rawValue
            // Progress over the dashboard's clock, not a step's own speed: runs share the cores.
            let training = members.filter { $0.status == .training }
            let rates = training.map { state.rates.rate(of: $0.id) }
            let rate: Double? = rates.contains(nil) || rates.isEmpty ? nil : rates.reduce(0) { $0 + $1! }
            let times = training.map { state.rates.remainingSeconds($0) }
            let remaining: Double? = times.contains(nil) || times.isEmpty ? nil : times.map { $0! }.max()
            let text =
                pad(label, labelWidth)
                + (single && first.clusterState == nil && [.diverged, .stopped].contains(first.status)
                    ? pad(
                        first.status == .diverged
                            ? "diverged at step \(first.divergedAt ?? first.step)" : "stopped at epoch \(first.epoch)",
                        statusWidth + 8 + stepWidth)
                    : pad(status, statusWidth)
                        + pad("\(group?.epoch ?? first.epoch)/\(first.config.settings.epochs)", 8)
                        + pad("\(group?.step ?? first.step)/\(first.totalSteps)", stepWidth))
                + pad(
                    statistic(group?.losses ?? first.shownLoss.map { [$0] } ?? [], digits: compact ? 3 : 4),
                    valueWidth, right: true)
                + pad(
                    statistic(
                        group?.tests ?? first.testMetric.map { [$0] } ?? [], scale: 100,
                        digits: compact ? 1 : 2), valueWidth, right: true)
                + pad(
                    statistic(
                        group?.bests ?? first.bestTest.map { [$0] } ?? [], scale: 100, digits: compact ? 1 : 2),
                    valueWidth, right: true)
                + (showsP
                    ? pad(pValue(group?.tests ?? first.testMetric.map { [$0] } ?? [], selectedValues, selected: selected), 8, right: true)
                    : "")
                + (compact
                    ? ""
                    : pad(state.frozenClock ? "—" : rate.map { String(format: "%.0f", $0) } ?? "—", 11, right: true)
                        + pad(state.frozenClock ? "—" : remaining.map(clock) ?? "—", 7, right: true))
            buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), with: .init(" ", style: style))
            buffer[inner.x, y] = .init(
                "■", style: Style(foreground: theme.runColor(first.id), background: style.background))
            buffer.write(text, x: inner.x + 2, y: y, style: style, maxWidth: inner.width - 2)
        }
    }
    /// A row's test values for Welch's test: a run's latest, or a group's at its common epoch.
    static func testValues(_ members: [RunSnapshot]) -> [Double] {
        members.count == 1 ? members[0].testMetric.map { [$0] } ?? [] : SeedGroupFigures(members).tests
    }

    /// A row's p against the selected row: "—" for the selected row itself and where either side has fewer than two seeds.
    static func pValue(_ values: [Double], _ selectedValues: [Double], selected: Bool) -> String {
        guard !selected, let test = WelchTest(values, selectedValues), test.p.isFinite else { return "—" }
        return test.p < 1e-3 ? String(format: "%.0e", test.p) : String(format: "%.3f", test.p)
    }
}
