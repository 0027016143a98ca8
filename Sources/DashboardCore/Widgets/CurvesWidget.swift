import EmergentCore
import Foundation

/// The loss and metric curves, with seed groups drawn as their mean and event markers.
extension DashboardView {
    /// Maps a step to the chosen x axis: steps, epochs, or the run's wall-clock seconds.
    static func xAxis(_ run: RunSnapshot, _ axis: DashboardState.XAxis) -> (Double) -> Double {
        switch axis {
        case .steps: return { $0 }
        case .epochs:
            let steps = Double(max(run.stepsPerEpoch, 1))
            return { $0 / steps }
        case .cpuTime:
            // Read once per chart: building a history's points costs a copy.
            let wall = run.series["time/wall"]?.points ?? []
            return { wall.interpolated(at: $0, fromOrigin: true) ?? 0 }
        }
    }

    /// The steps of a run's parameter changes and divergence: its curves' event markers.
    /// Marks that tell runs apart without colour, by run id.
    static let runMarks: [Character] = ["*", "+", "o", "x", "#", "@", "%", "&"]

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
            // Members share their epochs' partial batches, so the first's weight stands for all.
            return SeriesHistory.Point(x: point.x, y: values.reduce(0, +) / Double(values.count), weight: point.weight)
        }
    }

    /// `scale` multiplies every value drawn (100 shows a fraction as %); `xTitle` names the
    /// x axis and its unit under it.
    static func chart(
        _ title: String, trainKey: String?, testKey: String?, state: DashboardState, logY: Bool, smoothing: Double,
        scale: Double = 1, _ buffer: inout CellBuffer, area: Rect, focused: Bool, theme: Theme
    ) {
        box(title, area, focused: focused, &buffer, theme: theme)
        var series: [LineChart.Series] = [], markers: [LineChart.Marker] = []
        var legend: [(label: String, color: TerminalColor, selected: Bool)] = []
        let rows = state.rows
        for (index, row) in rows.enumerated() {
            if case .group(expanded: true) = row.kind { continue }
            let members = row.runs.map { state.runs[$0] }, first = members[0]
            let color = theme.runColor(first.id)
            // Without colour, each run has a mark of its own on its line and in the legend.
            let mark: Character? = theme.isMonochrome ? Self.runMarks[first.id % Self.runMarks.count] : nil
            // The selected run bright, the others dimmed under it (when there are others).
            let selected = index == state.selected || rows.count == 1
            legend.append(
                ((mark.map(String.init) ?? "■") + " " + first.config.label
                    + (members.count > 1 ? " ×\(members.count)" : first.config.seed == 0 ? "" : " s\(first.config.seed)"),
                 color, selected))
            // A diverged run's curve is drawn up to its marker but does not set the axes.
            let fits = !members.contains { $0.status == .diverged }
            let axes = members.map { xAxis($0, state.xAxis) }
            func points(_ key: String) -> [SeriesHistory.Point] {
                let histories = members.map { $0.series[key]?.points ?? [] }
                if members.count > 1 {
                    // The members faint underneath: the group's spread, as a band of lines.
                    for (axis, history) in zip(axes, histories) {
                        let values = Smoothing.fullBatchValues(history.map(\.y), weights: history.map(\.weight))
                        series.append(
                            .init(
                                points: zip(history, values).map { (axis($0.x), $1 * scale) }, color: color,
                                faint: true, fitsAxes: fits))
                    }
                }
                return groupMean(histories)
            }
            func drawn(_ points: [SeriesHistory.Point], _ values: [Double]) -> [(x: Double, y: Double)] {
                zip(points, values).map { (axes[0]($0.x), $1 * scale) }
            }
            if let trainKey {
                let train = points(trainKey), weights = train.map(\.weight)
                // A partial batch weighs its share of samples, raw and smoothed.
                let raw = drawn(train, Smoothing.fullBatchValues(train.map(\.y), weights: weights))
                if smoothing > 0 && train.count > 2 {
                    if members.count == 1 {
                        series.append(.init(points: raw, color: color, faint: true, fitsAxes: fits))
                    }
                    let smoothed = Smoothing.debiasedEMA(train.map(\.y), weights: weights, weight: smoothing)
                    series.append(
                        .init(points: drawn(train, smoothed), color: color, faint: !selected, fitsAxes: fits, mark: mark))
                } else {
                    series.append(.init(points: raw, color: color, faint: !selected, fitsAxes: fits, mark: mark))
                }
            }
            if let testKey {
                let test = points(testKey)
                series.append(
                    .init(points: drawn(test, test.map(\.y)), color: color, faint: !selected, fitsAxes: fits, mark: mark))
            }
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
        chart.xTitle = state.xAxis.title
        // A legend line, each run's swatch and name in its colour, when there is room for it.
        var plot = inner
        if inner.height >= 8, rows.count > 1 {
            var x = inner.x + 1
            for (index, entry) in legend.enumerated() {
                let text = entry.label
                let room = inner.x + inner.width - x
                guard room > 3 else { break }
                let shown = text.count + 2 <= room ? text : String(text.prefix(max(room - 2, 1))) + "…"
                buffer.write(
                    shown, x: x, y: inner.y,
                    style: Style(foreground: entry.color, bold: entry.selected, dim: !entry.selected), maxWidth: room)
                x += shown.count + 2
                if shown.hasSuffix("…") && index < legend.count - 1 { break }
            }
            plot = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        }
        chart.draw(into: &buffer, area: plot, theme: theme)
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
        // The quantity and its unit: loss in nats (natural-log cross-entropy); the rest, kept
        // as fractions, drawn in % (BLEU on its usual 0–100 scale).
        let (unit, scale): (String, Double) =
            switch state.metric {
            case .loss: ("nats", 1)
            case .bleu: ("0–100", 100)
            case .accuracy, .exactMatch: ("%", 100)
            }
        let title =
            state.metric.rawValue + ", " + unit + (log ? " (log)" : "")
            + (state.smoothing > 0 ? " · smoothed \(state.smoothing)" : "")
            // The key to the lines when there is room for it.
            + (area.width >= 75 ? " · train line, test per epoch" : "")
        chart(
            title, trainKey: keys.train, testKey: keys.test, state: state, logY: log, smoothing: state.smoothing,
            scale: scale, &buffer, area: area, focused: state.pane == .curves, theme: theme)
    }
}
