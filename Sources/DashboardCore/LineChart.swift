import EmergentCore
import Foundation

/// Several series overlaid in one chart with a y axis of 1-2-5 ticks (linear or log10) and an
/// x axis, drawn in braille (2 × 4 dots a cell), in blocks (one cell a point) or in ASCII.
/// Stateless: it draws what it is given into a rectangle and never outside it.
public struct LineChart: Sendable {
    public enum Symbols: String, Sendable, CaseIterable { case braille, block, ascii }

    public struct Series: Sendable {
        public var points: [(x: Double, y: Double)]
        public var color: TerminalColor
        /// Drawn dim, under the others (the raw series beneath a smoothed one).
        public var faint: Bool
        /// Whether the axes fit this series: a diverged run's climb to 1e30 would flatten
        /// every other curve, so it runs off the edge instead (to its divergence marker).
        public var fitsAxes: Bool
        /// A run's own mark, where colour cannot tell runs apart (`NO_COLOR`): the points in
        /// ASCII and blocks, and the line's last point in braille.
        public var mark: Character?

        public init(
            points: [(x: Double, y: Double)], color: TerminalColor, faint: Bool = false, fitsAxes: Bool = true,
            mark: Character? = nil
        ) {
            self.points = points
            self.color = color
            self.faint = faint
            self.fitsAxes = fitsAxes
            self.mark = mark
        }
    }

    /// A vertical mark at an x value (a parameter change, a divergence), in a run's colour.
    public struct Marker: Sendable {
        public var x: Double
        public var color: TerminalColor

        public init(x: Double, color: TerminalColor) {
            self.x = x
            self.color = color
        }
    }

    public var series: [Series]
    public var markers: [Marker] = []
    public var logY: Bool
    public var symbols: Symbols
    /// Columns for the y labels.
    public var labelWidth = 7
    /// The x axis's title (quantity and unit), centred between its end labels when it fits.
    public var xTitle: String?

    public init(series: [Series], logY: Bool = false, symbols: Symbols = .braille) {
        self.series = series
        self.logY = logY
        self.symbols = symbols
    }

    /// The y value as plotted: log10 when `logY` (non-positive values are left out).
    func plotted(_ y: Double) -> Double? {
        guard y.isFinite else { return nil }
        if logY { return y > 0 ? log10(y) : nil }
        return y
    }

    /// The x and y ranges of every plottable point of the series the axes fit (all of them
    /// when none is), widened when flat.
    func ranges() -> (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
        var xs: [Double] = [], ys: [Double] = []
        let fitting = series.filter { $0.fitsAxes && $0.points.contains { plotted($0.y) != nil } }
        for s in fitting.isEmpty ? series : fitting {
            for point in s.points { if let y = plotted(point.y), point.x.isFinite { xs.append(point.x); ys.append(y) } }
        }
        guard let xLow = xs.min(), let xHigh = xs.max(), let yLow = ys.min(), let yHigh = ys.max() else { return nil }
        let ySpan = yHigh > yLow ? 0 : max(abs(yLow) * 0.05, 0.5)
        return (xLow...(xHigh > xLow ? xHigh : xLow + 1), (yLow - ySpan)...(yHigh + ySpan))
    }

    public func draw(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let area = area.intersection(buffer.bounds)
        let plot = Rect(
            x: area.x + labelWidth + 1, y: area.y, width: area.width - labelWidth - 1, height: area.height - 1)
        guard !plot.isEmpty, let (xRange, yRange) = ranges() else { return }
        let labelStyle = Style(foreground: theme["graph_text"])
        // The y axis: a tick label at each 1-2-5 value that falls on a row (of the values, not
        // of their logs, on a log axis).
        let count = max(plot.height / 3, 1)
        let ticks =
            logY
            ? AxisTicks.logTicks(lowerLog: yRange.lowerBound, upperLog: yRange.upperBound, count: count)
            : AxisTicks.ticks(lower: yRange.lowerBound, upper: yRange.upperBound, count: count)
        for tick in ticks {
            let row =
                plot.y + plot.height - 1
                - Int(
                    ((tick - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * Double(plot.height - 1))
                        .rounded())
            let label = Self.format(logY ? pow(10, tick) : tick)
            buffer.write(
                String(repeating: " ", count: max(labelWidth - label.count, 0)) + label, x: area.x, y: row,
                style: labelStyle, maxWidth: labelWidth)
        }
        for row in plot.y..<(plot.y + plot.height) {
            buffer[area.x + labelWidth, row] = CellBuffer.Cell("│", style: Style(foreground: theme["axis"]))
        }
        let bottom = area.y + area.height - 1
        buffer.write(Self.format(xRange.lowerBound), x: plot.x, y: bottom, style: labelStyle, maxWidth: plot.width / 2)
        let last = Self.format(xRange.upperBound)
        let lastX = plot.x + max(plot.width - last.count, plot.width / 2)
        buffer.write(last, x: lastX, y: bottom, style: labelStyle, maxWidth: plot.width / 2)
        if let xTitle {
            let shown = xTitle + " →", firstEnd = plot.x + Self.format(xRange.lowerBound).count
            let titleX = plot.x + (plot.width - shown.count) / 2
            // Only with a space on either side, so it never runs into an end label.
            if titleX > firstEnd, titleX + shown.count < lastX {
                buffer.write(shown, x: titleX, y: bottom, style: labelStyle, maxWidth: shown.count)
            }
        }
        // Markers under the curves: a dotted column, its head in the run's colour.
        for marker in markers where marker.x >= xRange.lowerBound && marker.x <= xRange.upperBound {
            let column =
                plot.x
                + Int(
                    ((marker.x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * Double(plot.width - 1))
                        .rounded())
            for row in plot.y..<(plot.y + plot.height) {
                buffer[column, row] = CellBuffer.Cell(
                    row == plot.y ? (symbols == .ascii ? "v" : "▾") : symbols == .ascii ? ":" : "┆",
                    style: Style(foreground: row == plot.y ? marker.color : theme["marker"], dim: row != plot.y))
            }
        }
        // Faint series first, so the bright ones are drawn over them.
        for s in series.sorted(by: { $0.faint && !$1.faint }) {
            draw(s, in: plot, xRange: xRange, yRange: yRange, buffer: &buffer)
        }
    }

    private func draw(
        _ s: Series, in plot: Rect, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, buffer: inout CellBuffer
    ) {
        let style = Style(foreground: s.color, dim: s.faint)
        let (columns, rows) = symbols == .braille ? (plot.width * 2, plot.height * 4) : (plot.width, plot.height)
        func position(_ point: (x: Double, y: Double)) -> (x: Int, y: Int)? {
            guard let y = plotted(point.y), point.x.isFinite else { return nil }
            // Clamped just past the edges: a point far off the axes (a diverged run) is drawn
            // towards it, never converted from a huge fraction.
            let fx = min(max((point.x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound), -1), 2)
            let fy = min(max((y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound), -1), 2)
            return (Int((fx * Double(columns - 1)).rounded()), rows - 1 - Int((fy * Double(rows - 1)).rounded()))
        }
        let positions = s.points.compactMap(position)
        let inside = positions.filter { (0..<columns).contains($0.x) && (0..<rows).contains($0.y) }
        switch symbols {
        case .braille:
            var canvas = BrailleCanvas(width: plot.width, height: plot.height)
            for (a, b) in zip(positions, positions.dropFirst()) { canvas.line(from: a, to: b) }
            if positions.count == 1, let point = inside.first { canvas.set(x: point.x, y: point.y) }
            canvas.draw(into: &buffer, at: (plot.x, plot.y), style: style)
            if let mark = s.mark, let last = inside.last {
                buffer[plot.x + last.x / 2, plot.y + last.y / 4] = CellBuffer.Cell(mark, style: style)
            }
        case .block, .ascii:
            let mark: Character = s.mark ?? (symbols == .block ? "█" : (s.faint ? "." : "*"))
            for point in inside { buffer[plot.x + point.x, plot.y + point.y] = CellBuffer.Cell(mark, style: style) }
        }
    }

    /// A compact label: at most 6 characters for ordinary magnitudes.
    public static func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 { return String(format: "%.0e", value) }
        if magnitude >= 100 { return String(format: "%.0f", value) }
        return String(format: "%.3g", value)
    }
}
