import EmergentCore
import Foundation

/// Draws the dashboard state into a cell buffer of the terminal's size: header, runs table,
/// curves, emergence, the selected run's layers, and the status line; the help overlay on
/// top. Pure: the same state and size give the same buffer.
public enum DashboardView {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public static func render(_ state: DashboardState, width: Int, height: Int, theme: Theme) -> CellBuffer {
        var buffer = CellBuffer(
            width: width, height: height, fill: .init(" ", style: Style(background: theme["main_bg"])))
        guard width >= minimumWidth, height >= minimumHeight else {
            tooSmall(&buffer, theme: theme)
            return buffer
        }
        header(state, &buffer, theme: theme)
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        if state.zoomed {
            draw(state.pane, state, &buffer, area: body, theme: theme)
        } else {
            let tableHeight = min(state.rows.count + 3, height / 3)
            let layersHeight = min(
                (state.selectedRun?.lastMeasurement?.layers.count ?? 0) + 3, (height - tableHeight - 2) / 3 + 1)
            let chartsTop = 1 + tableHeight, chartsHeight = height - chartsTop - layersHeight - 1
            let curvesWidth = width * 3 / 5
            var right = Rect(x: curvesWidth, y: chartsTop, width: width - curvesWidth, height: chartsHeight)
            draw(.runs, state, &buffer, area: Rect(x: 0, y: 1, width: width, height: tableHeight), theme: theme)
            draw(
                .curves, state, &buffer, area: Rect(x: 0, y: chartsTop, width: curvesWidth, height: chartsHeight),
                theme: theme)
            if state.sweep != nil && (height >= 40 || ![.emergence, .details].contains(state.pane)) {
                // A sweep's heatmap heads the right column on tall terminals and takes it on short
                // ones, unless emergence or details has the focus.
                // The heatmap is planned once a frame: a thousand cells' result is not cheap.
                let lines = sweepLines(state, width: right.width - 3)
                let heatmapHeight = height >= 40 ? min(lines.count + 2, right.height / 2) : right.height
                sweep(
                    state, &buffer, area: Rect(x: right.x, y: right.y, width: right.width, height: heatmapHeight),
                    theme: theme, lines: lines)
                right = Rect(
                    x: right.x, y: right.y + heatmapHeight, width: right.width, height: right.height - heatmapHeight)
            }
            if height >= 40 {
                // Tall terminals show everything: emergence above the init phase and events.
                let upper = right.height * 3 / 5
                draw(
                    .emergence, state, &buffer, area: Rect(x: right.x, y: right.y, width: right.width, height: upper),
                    theme: theme)
                draw(
                    .details, state, &buffer,
                    area: Rect(x: right.x, y: right.y + upper, width: right.width, height: right.height - upper),
                    theme: theme)
            } else if right.height > 0 {
                draw(state.pane == .details ? .details : .emergence, state, &buffer, area: right, theme: theme)
            }
            draw(
                .layers, state, &buffer,
                area: Rect(x: 0, y: chartsTop + chartsHeight, width: width, height: layersHeight),
                theme: theme)
        }
        statusLine(state, &buffer, theme: theme)
        if state.showsHelp { help(state, &buffer, theme: theme) }
        if let picked = state.picker { picker(picked, &buffer, theme: theme) }
        return buffer
    }

    static func draw(
        _ pane: DashboardState.Pane, _ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme
    ) {
        switch pane {
        case .runs: runsTable(state, &buffer, area: area, theme: theme)
        case .curves: curves(state, &buffer, area: area, theme: theme)
        case .emergence: emergence(state, &buffer, area: area, theme: theme)
        case .layers: layers(state, &buffer, area: area, theme: theme)
        case .details: details(state, &buffer, area: area, theme: theme)
        case .sweep: sweep(state, &buffer, area: area, theme: theme)
        }
    }

    static func tooSmall(_ buffer: inout CellBuffer, theme: Theme) {
        let lines = [
            "terminal too small: \(buffer.width)×\(buffer.height)", "need \(minimumWidth)×\(minimumHeight)", "q quits",
        ]
        for (index, line) in lines.enumerated() {
            let y = buffer.height / 2 - 1 + index
            buffer.write(
                line, x: max((buffer.width - line.count) / 2, 0), y: y,
                style: Style(foreground: index == 0 ? theme["status_error"] : theme["main_fg"]), maxWidth: buffer.width)
        }
    }

    static func header(_ state: DashboardState, _ buffer: inout CellBuffer, theme: Theme) {
        let rate = state.runs.filter { $0.status == .training }.reduce(0) { $0 + $1.samplesPerSecond }
        let live =
            state.frozenClock
            ? "0:00 · — samples/s · CPU —"
            : clock(state.elapsed) + String(format: " · %.0f samples/s", rate)
                + (state.cpu.map { String(format: " · CPU %.0f%%", 100 * $0) } ?? " · CPU —")
        let text =
            "Emergent · \(state.experiment) · \(state.dataset) · \(state.model) · " + live
            + " · \(state.runs.count) runs"
        buffer.write(text, x: 0, y: 0, style: Style(foreground: theme["title"], bold: true), maxWidth: buffer.width)
    }
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        return String(format: "%d:%02d", total / 60, total % 60)
    }

    static func box(_ title: String, _ area: Rect, focused: Bool, _ buffer: inout CellBuffer, theme: Theme) {
        guard area.width >= 2, area.height >= 2 else { return }
        let style = Style(foreground: focused ? theme["hi_fg"] : theme["box"])
        let right = area.x + area.width - 1, bottom = area.y + area.height - 1
        for x in area.x...right {
            buffer[x, area.y] = .init("─", style: style)
            buffer[x, bottom] = .init("─", style: style)
        }
        for y in area.y...bottom {
            buffer[area.x, y] = .init("│", style: style)
            buffer[right, y] = .init("│", style: style)
        }
        buffer[area.x, area.y] = .init("╭", style: style)
        buffer[right, area.y] = .init("╮", style: style)
        buffer[area.x, bottom] = .init("╰", style: style)
        buffer[right, bottom] = .init("╯", style: style)
        buffer.write(
            " \(title) ", x: area.x + 2, y: area.y, style: Style(foreground: theme["title"], bold: focused),
            maxWidth: area.width - 4)
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let clipped = String(text.prefix(width))
        let padding = String(repeating: " ", count: max(width - clipped.count, 0))
        return right ? padding + clipped : clipped + padding
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.2f", 100 * $0) } ?? "—" }

    /// Mean ± std of a group's values (just the value for one run); "—" when none has one.
    static func statistic(_ values: [Double], scale: Double = 1, digits: Int) -> String {
        guard !values.isEmpty else { return "—" }
        let statistic = ExperimentSummary.Statistic(values: values)
        let text = String(format: "%.\(digits)f", scale * statistic.mean)
        guard values.count > 1 else { return text }
        return text + String(format: "±%.\(digits)f", scale * statistic.standardDeviation)
    }

    static func runsTable(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        box("runs", area, focused: state.pane == .runs, &buffer, theme: theme)
        let inner = area.inset(1)
        let metric = state.isTranslation ? "tok acc" : "test acc"
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
            + pad("best", valueWidth, right: true)
            + (showsP ? pad("p", 8, right: true) : "")
            + (compact ? "" : pad("samples/s", 11, right: true) + pad("eta", 7, right: true))
        // Welch's test of each row's test metric against the selected row's (seed groups of two or more).
        let rows = state.rows
        let selectedValues =
            rows.indices.contains(state.selected)
            ? rows[state.selected].runs.compactMap { state.runs[$0].testMetric } : []
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
            let label: String
            switch row.kind {
            case .single: label = first.config.label + (first.config.seed == 0 ? "" : " s\(first.config.seed)")
            case let .group(expanded): label = (expanded ? "▾ " : "▸ ") + first.config.label + " ×\(members.count)"
            case .member: label = "  seed \(first.config.seed)"
            }
            let status =
                members.count > 1
                ? (Set(members.map(\.status)).count == 1 ? first.status.rawValue : "mixed")
                : first.status == .initializing
                    ? String(format: "init %3.0f%%", 100 * first.initProgress) : first.status.rawValue
            let remaining =
                members.map { run in
                    run.samplesPerSecond > 0 && run.status == .training
                        ? Double(run.totalSteps - run.step) * Double(run.config.settings.batchSize)
                            / run.samplesPerSecond
                        : 0
                }.max() ?? 0
            let rate = members.filter { $0.status == .training }.reduce(0) { $0 + $1.samplesPerSecond }
            let text =
                pad(label, labelWidth) + pad(status, statusWidth)
                + pad("\(first.epoch)/\(first.config.settings.epochs)", 8)
                + pad("\(first.step)/\(first.totalSteps)", stepWidth)
                + pad(
                    statistic(members.compactMap { $0.latest["train/loss"] }, digits: compact ? 3 : 4), valueWidth,
                    right: true)
                + pad(
                    statistic(members.compactMap(\.testMetric), scale: 100, digits: compact ? 1 : 2), valueWidth,
                    right: true)
                + pad(
                    statistic(members.compactMap(\.bestTest), scale: 100, digits: compact ? 1 : 2), valueWidth,
                    right: true)
                + (showsP
                    ? pad(pValue(members.compactMap(\.testMetric), selectedValues, selected: selected), 8, right: true)
                    : "")
                + (compact
                    ? ""
                    : pad(state.frozenClock || rate == 0 ? "—" : String(format: "%.0f", rate), 11, right: true)
                        + pad(state.frozenClock || remaining == 0 ? "—" : clock(remaining), 7, right: true))
            buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), with: .init(" ", style: style))
            buffer[inner.x, y] = .init(
                "■", style: Style(foreground: theme.runColor(first.id), background: style.background))
            buffer.write(text, x: inner.x + 2, y: y, style: style, maxWidth: inner.width - 2)
        }
    }
    /// A row's p against the selected row: "—" for the selected row itself and where either side has fewer than two seeds.
    static func pValue(_ values: [Double], _ selectedValues: [Double], selected: Bool) -> String {
        guard !selected, let test = WelchTest(values, selectedValues), test.p.isFinite else { return "—" }
        return test.p < 1e-3 ? String(format: "%.0e", test.p) : String(format: "%.3f", test.p)
    }

    /// Maps a step to the chosen x axis: steps, epochs, or the run's wall-clock seconds.
    static func xAxis(_ run: RunSnapshot, _ axis: DashboardState.XAxis) -> (Double) -> Double {
        switch axis {
        case .steps: return { $0 }
        case .epochs:
            let steps = Double(max(run.stepsPerEpoch, 1))
            return { $0 / steps }
        case .wallTime:
            // Read once per chart: building a history's points costs a copy.
            let wall = run.series["time/wall"]?.points ?? []
            return { wall.interpolated(at: $0, fromOrigin: true) ?? 0 }
        }
    }

    /// The steps of a run's parameter changes and divergence: its curves' event markers.
    static func markerSteps(_ run: RunSnapshot) -> [Int] {
        run.events.compactMap { event in
            switch event {
            case let .parameterChanged(step, _, _, _), let .diverged(step, _), let .epochsChanged(step, _, _): step
            default: nil
            }
        }
    }

    /// The member-wise mean of several runs' series at the first run's x values (up to the
    /// shortest run's last point): what a collapsed seed group draws.
    static func groupMean(_ histories: [[SeriesHistory.Point]]) -> [SeriesHistory.Point] {
        guard let first = histories.first, histories.count > 1 else { return histories.first ?? [] }
        let end = histories.map { $0.last?.x ?? 0 }.min() ?? 0
        return first.filter { $0.x <= end }.map { point in
            let values = histories.map { $0.interpolated(at: point.x) ?? .nan }
            return SeriesHistory.Point(x: point.x, y: values.reduce(0, +) / Double(values.count))
        }
    }

    static func chart(
        _ title: String, trainKey: String?, testKey: String?, state: DashboardState, logY: Bool, smooth: Bool,
        _ buffer: inout CellBuffer, area: Rect, focused: Bool, theme: Theme
    ) {
        box(title, area, focused: focused, &buffer, theme: theme)
        var series: [LineChart.Series] = [], markers: [LineChart.Marker] = []
        for row in state.rows {
            if case .group(expanded: true) = row.kind { continue }
            let members = row.runs.map { state.runs[$0] }, first = members[0]
            let color = theme.runColor(first.id)
            let axes = members.map { xAxis($0, state.xAxis) }
            func points(_ key: String) -> [(x: Double, y: Double)] {
                let histories = members.map { $0.series[key]?.points ?? [] }
                if members.count > 1 {
                    // The members faint underneath: the group's spread, as a band of lines.
                    for (axis, history) in zip(axes, histories) {
                        series.append(.init(points: history.map { (axis($0.x), $0.y) }, color: color, faint: true))
                    }
                }
                return groupMean(histories).map { (axes[0]($0.x), $0.y) }
            }
            if let trainKey {
                let train = points(trainKey)
                if smooth && train.count > 2 {
                    if members.count == 1 { series.append(.init(points: train, color: color, faint: true)) }
                    let smoothed = Smoothing.debiasedEMA(train.map(\.y), weight: 0.9)
                    series.append(.init(points: zip(train, smoothed).map { (x: $0.x, y: $1) }, color: color))
                } else {
                    series.append(.init(points: train, color: color))
                }
            }
            if let testKey { series.append(.init(points: points(testKey), color: color)) }
            for step in members.flatMap(markerSteps) {
                markers.append(.init(x: axes[0](Double(step)), color: color))
            }
        }
        let inner = area.inset(1)
        guard series.contains(where: { !$0.points.isEmpty }) else {
            buffer.write(
                "waiting for the first points…", x: inner.x + 1, y: inner.y,
                style: Style(foreground: theme["inactive_fg"]),
                maxWidth: inner.width - 1)
            return
        }
        var chart = LineChart(series: series, logY: logY, symbols: state.symbols)
        chart.markers = markers
        chart.draw(into: &buffer, area: inner, theme: theme)
    }
    static func curves(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let keys: (train: String?, test: String) =
            switch state.metric {
            case .loss: ("train/loss", "test/loss")
            case .accuracy: ("train/acc", "test/acc")
            case .bleu: (nil, "test/bleu")
            case .exactMatch: (nil, "test/exact_match")
            }
        let log = state.logY && state.metric == .loss
        let title =
            state.metric.rawValue + (log ? " (log)" : "") + (state.smoothing ? ", smoothed" : "")
            + " · train line, test per epoch · x: \(state.xAxis.rawValue)"
        chart(
            title, trainKey: keys.train, testKey: keys.test, state: state, logY: log, smooth: state.smoothing,
            &buffer, area: area, focused: state.pane == .curves, theme: theme)
    }
    static func emergence(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        chart(
            String(format: "log10 E (τ %g) · x: %@", state.tau, state.xAxis.rawValue), trainKey: nil,
            testKey: "emergence/log10E", state: state, logY: false, smooth: false,
            &buffer, area: area, focused: state.pane == .emergence, theme: theme)
    }

    /// The sweep's heatmap as it stands: a cell fills in once all its runs have ended.
    static func sweepLines(_ state: DashboardState, width: Int) -> [[SweepHeatmap.Segment]] {
        guard let plan = state.sweep else { return [] }
        return SweepHeatmap.lines(plan.result(state.runs), width: max(width, 1))
    }

    /// `lines`: the heatmap already planned for this area's width (nil: planned here).
    static func sweep(
        _ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme,
        lines: [[SweepHeatmap.Segment]]? = nil
    ) {
        let finished = state.sweep.map { "\($0.finishedCells(state.runs))/\($0.cells.count) cells done" }
        box("sweep" + (finished.map { " · " + $0 } ?? ""), area, focused: state.pane == .sweep, &buffer, theme: theme)
        let inner = area.inset(1)
        guard inner.width > 2, inner.height > 0 else { return }
        guard state.sweep != nil else {
            buffer.write(
                "not a sweep: emergent sweep EXPERIMENT --grid KEY=VALUES --dashboard shows its heatmap here",
                x: inner.x + 1, y: inner.y, style: Style(foreground: theme["inactive_fg"]), maxWidth: inner.width - 1)
            return
        }
        for (row, line) in (lines ?? sweepLines(state, width: inner.width - 1)).prefix(inner.height).enumerated() {
            var x = inner.x + 1
            for segment in line {
                var style = Style(foreground: theme[row == 0 ? "graph_text" : "main_fg"])
                if let level = segment.level {
                    // Monochrome shows the best cell bold; colour terminals the scale, worst to best.
                    if theme.isMonochrome {
                        style.bold = segment.text.hasSuffix("*")
                    } else {
                        style.foreground = TerminalColor.cube(SweepHeatmap.scale[level])
                    }
                }
                x += buffer.write(
                    segment.text, x: x, y: inner.y + row, style: style, maxWidth: inner.x + inner.width - x)
            }
        }
    }

    /// The selected run's init phase (a learned scheme's iteration and objective terms while
    /// it runs; the scales and their reasons after) and its events, newest first.
    static func details(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let run = state.selectedRun
        box(
            "init & events · \(run?.config.label ?? "no run")", area, focused: state.pane == .details, &buffer,
            theme: theme)
        guard let run else { return }
        let inner = area.inset(1)
        var lines: [(String, TerminalColor)] = []
        let spec = run.config.initializer
        if run.status == .initializing || (run.status == .queued && spec.isDataDriven) {
            lines.append(
                (String(format: "%@: initializing, %.0f%%", spec.description, 100 * run.initProgress), theme["hi_fg"]))
            for (term, value) in run.initTerms.sorted(by: { $0.key < $1.key }) {
                lines.append((pad("  " + term, 24) + String(format: "%.5g", value), theme["main_fg"]))
            }
        } else if let report = run.initReport {
            lines.append(
                (
                    String(
                        format: "%@: %.2f s, %d probe forwards, %d gradient evaluations", spec.description,
                        state.frozenClock ? 0 : report.seconds, report.probeForwards, report.gradientEvaluations),
                    theme["hi_fg"]
                ))
            for layer in report.layers {
                lines.append(
                    (
                        pad("  " + layer.name, 16) + String(format: "×%.3f  ", layer.scale) + layer.reason,
                        theme["main_fg"]
                    ))
            }
            for (name, scale) in (run.updaterScales ?? [:]).sorted(by: { $0.key < $1.key }) {
                lines.append((pad("  updater " + name, 24) + String(format: "×%.4f", scale), theme["main_fg"]))
            }
        } else {
            lines.append(("\(spec.description): waiting to start", theme["inactive_fg"]))
        }
        lines.append(("events, newest first", theme["graph_text"]))
        for event in run.events.reversed() {
            var problem = false
            switch event {
            case .diverged, .failed: problem = true
            default: break
            }
            lines.append(("  " + describe(event), problem ? theme["status_error"] : theme["main_fg"]))
        }
        for (index, line) in lines.prefix(inner.height).enumerated() {
            buffer.write(
                line.0, x: inner.x, y: inner.y + index, style: Style(foreground: line.1), maxWidth: inner.width)
        }
    }

    /// One event as a line of the events list.
    static func describe(_ event: RunEvent) -> String { event.summary }

    /// A value's history in one row of block heights (ASCII: a ramp of marks), newest right.
    static func sparkline(_ values: [Double], width: Int, ascii: Bool) -> String {
        let finite = values.suffix(width).filter(\.isFinite)
        guard width > 0, let low = finite.min(), let high = finite.max() else { return "" }
        let ramp: [Character] = ascii ? Array("_.-=+*#") : Array("▁▂▃▄▅▆▇█")
        return String(
            finite.map { value in
                ramp[
                    high > low ? Int(((value - low) / (high - low) * Double(ramp.count - 1)).rounded()) : ramp.count / 2
                ]
            })
    }

    static func layers(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        if state.layersOfAllRuns { return layersOfAllRuns(state, &buffer, area: area, theme: theme) }
        let run = state.selectedRun
        box(
            "layers · \(run?.config.label ?? "no run") · v: all runs", area, focused: state.pane == .layers, &buffer,
            theme: theme)
        let inner = area.inset(1)
        // Narrow terminals leave out the shape and the weight RMS; wide ones give every value
        // a sparkline of its history, middle ones only log10 E_l.
        let compact = inner.width < 100
        typealias Column = (title: String, width: Int, key: String, text: (LayerMeasurement) -> String)
        let number: (String, Double) -> String = { format, value in
            value == -.infinity ? "−∞" : String(format: format, value)
        }
        var columns: [Column] = [
            ("scale", 8, "scale", { $0.scale.map { number("%.3f", $0) } ?? "—" }),
            ("log10 E_l", 11, "log10E", { number("%.2f", $0.log10E) }),
            ("active", 8, "active", { number("%.3f", $0.activeFraction) }),
            ("weight rms", 12, "weight_rms", { number("%.4f", $0.weightRMS) }),
            ("act std", 10, "act_std", { number("%.4f", $0.activationStd) }),
            ("grad norm", 11, "grad_norm", { number("%.4f", $0.gradientNorm) }),
            ("log10 Δ/W", 11, "log10_update_ratio", { $0.log10UpdateRatio.map { number("%.2f", $0) } ?? "—" }),
        ]
        if compact { columns.remove(at: 3) }
        let (nameWidth, shapeWidth) = compact ? (12, 0) : (16, 14)
        let fixed = nameWidth + shapeWidth + columns.map(\.width).reduce(0, +)
        let everySpark = inner.width - fixed >= columns.count * 9
        let sparkWidth = everySpark ? 8 : min(max(inner.width - fixed - 2, 0), 40)
        var header = pad("layer", nameWidth) + pad("shape", shapeWidth)
        for column in columns {
            header += pad(column.title, column.width, right: true) + (everySpark ? " " + pad("", sparkWidth) : "")
        }
        if !everySpark && sparkWidth >= 4 { header += "  " + pad("log10 E_l over time", sparkWidth) }
        buffer.write(
            header, x: inner.x, y: inner.y, style: Style(foreground: theme["graph_text"]), maxWidth: inner.width)
        for (row, layer) in (run?.lastMeasurement?.layers ?? []).enumerated() where row + 1 < inner.height {
            let ratio = layer.log10UpdateRatio
            // Critical: a dead or exploding layer; warning: updates stalling or too large, few active nodes.
            let critical =
                layer.activeFraction < 0.01 || !layer.activationStd.isFinite || !layer.gradientNorm.isFinite
                || layer.activationStd > 1e4 || (ratio.map { $0 > 0 } ?? false)
            let warn = (ratio.map { $0 < -5 || $0 > -1 } ?? false) || layer.activeFraction < 0.1
            func history(_ key: String) -> String {
                sparkline(
                    run?.series["layers/\(layer.name)/\(key)"]?.points.map(\.y) ?? [], width: sparkWidth,
                    ascii: state.symbols == .ascii)
            }
            var text = pad(layer.name, nameWidth) + pad(layer.shape.map(String.init).joined(separator: "×"), shapeWidth)
            for column in columns {
                text +=
                    pad(column.text(layer), column.width, right: true)
                    + (everySpark ? " " + pad(history(column.key), sparkWidth) : "")
            }
            if !everySpark && sparkWidth >= 4 { text += "  " + history("log10E") }
            buffer.write(
                text, x: inner.x, y: inner.y + 1 + row,
                style: Style(
                    foreground: critical ? theme["status_error"] : warn ? theme["status_warn"] : theme["main_fg"],
                    bold: critical && theme.isMonochrome, underline: warn && !critical && theme.isMonochrome),
                maxWidth: inner.width)
        }
    }

    /// Every run side by side: one row per layer, log10 E_l and the active fraction per run.
    static func layersOfAllRuns(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        box(
            "layers · all runs · log10 E_l / active · v: selected run", area, focused: state.pane == .layers, &buffer,
            theme: theme)
        let inner = area.inset(1)
        let columns = max((inner.width - 14) / 16, 0)
        let shown = Array(state.runs.prefix(columns))
        var x = inner.x + 14
        buffer.write("layer", x: inner.x, y: inner.y, style: Style(foreground: theme["graph_text"]), maxWidth: 14)
        for run in shown {
            buffer.write(
                pad(run.config.label, 15, right: true), x: x, y: inner.y,
                style: Style(foreground: theme.runColor(run.id)), maxWidth: 15)
            x += 16
        }
        let names = shown.first?.lastMeasurement?.layers.map(\.name) ?? []
        for (row, name) in names.enumerated() where row + 1 < inner.height {
            let y = inner.y + 1 + row
            buffer.write(name, x: inner.x, y: y, style: Style(foreground: theme["main_fg"]), maxWidth: 13)
            for (column, run) in shown.enumerated() {
                let layer = run.lastMeasurement?.layers.first { $0.name == name }
                let text =
                    layer.map {
                        ($0.log10E == -.infinity ? "−∞" : String(format: "%.2f", $0.log10E))
                            + String(format: " / %.2f", $0.activeFraction)
                    } ?? "—"
                buffer.write(
                    pad(text, 15, right: true), x: inner.x + 14 + column * 16, y: y,
                    style: Style(foreground: theme["main_fg"]), maxWidth: 15)
            }
        }
    }

    static func statusLine(_ state: DashboardState, _ buffer: inout CellBuffer, theme: Theme) {
        let y = buffer.height - 1
        if let command = state.command {
            buffer.write(
                ":" + command + "▏", x: 0, y: y, style: Style(foreground: theme["main_fg"]), maxWidth: buffer.width)
            return
        }
        let color = state.statusIsError ? theme["status_error"] : theme["status_ok"]
        buffer.write(state.status, x: 0, y: y, style: Style(foreground: color), maxWidth: buffer.width)
    }

    /// The keys from the key table, then the commands; two columns when the screen is wide.
    static func help(_ state: DashboardState, _ buffer: inout CellBuffer, theme: Theme) {
        let keys = KeyTable.helpLines
        let commands =
            ["commands (Tab completes):"]
            + DashboardState.commands.map { $0.usage.padding(toLength: 28, withPad: " ", startingAt: 0) + $0.help }
        let columns = buffer.width >= 170 ? [keys, commands] : [keys + [""] + commands]
        let columnWidth = min(columns.flatMap { $0 }.map(\.count).max() ?? 0, buffer.width - 4)
        let width = min(columns.count * (columnWidth + 2) + 2, buffer.width)
        let height = min((columns.map(\.count).max() ?? 0) + 2, buffer.height)
        let area = Rect(x: (buffer.width - width) / 2, y: (buffer.height - height) / 2, width: width, height: height)
        buffer.fill(area, with: .init(" ", style: Style(background: theme["main_bg"])))
        // A short terminal scrolls the help with ↓ and ↑.
        let longest = columns.map(\.count).max() ?? 0
        let scroll = min(state.helpScroll, max(longest - (height - 2), 0))
        box(
            longest > height - 2 ? "keys · Esc closes · ↓↑ scroll" : "keys · Esc closes", area, focused: true,
            &buffer, theme: theme)
        for (column, lines) in columns.enumerated() {
            for (index, line) in lines.dropFirst(scroll).enumerated() where index + 1 < area.height - 1 {
                buffer.write(
                    line, x: area.x + 2 + column * (columnWidth + 2), y: area.y + 1 + index,
                    style: Style(foreground: theme["main_fg"]), maxWidth: columnWidth)
            }
        }
    }

    /// The initializer catalog (`a`), the highlighted entry in the selection colours.
    static func picker(_ highlighted: Int, _ buffer: inout CellBuffer, theme: Theme) {
        let schemes = InitializerSpec.Scheme.allCases
        let width = min(90, buffer.width), height = min(schemes.count + 2, buffer.height)
        let area = Rect(x: (buffer.width - width) / 2, y: (buffer.height - height) / 2, width: width, height: height)
        buffer.fill(area, with: .init(" ", style: Style(background: theme["main_bg"])))
        box("add a run · ↑↓ choose · Enter adds · Esc closes", area, focused: true, &buffer, theme: theme)
        let visible = max(area.height - 2, 1), first = max(0, highlighted - visible + 1)
        for (row, index) in (first..<min(first + visible, schemes.count)).enumerated() {
            let selected = index == highlighted
            let style = Style(
                foreground: selected ? theme["selected_fg"] : theme["main_fg"],
                background: selected ? theme["selected_bg"] : theme["main_bg"], reverse: selected && theme.isMonochrome)
            buffer.fill(
                Rect(x: area.x + 1, y: area.y + 1 + row, width: area.width - 2, height: 1),
                with: .init(" ", style: style))
            buffer.write(
                pad(schemes[index].rawValue, 11) + schemes[index].summary, x: area.x + 2, y: area.y + 1 + row,
                style: style,
                maxWidth: area.width - 4)
        }
    }
}
