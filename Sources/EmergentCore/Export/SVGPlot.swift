import Foundation

/// A line chart as a standalone SVG file: axes with 1-2-5 ticks (decades on a log axis) and
/// labels, one path per series in its colour, optional ±std bands, and the legend to the
/// right of the plot area so it never covers the data.
public struct SVGPlot: Sendable {
    public struct Series: Sendable {
        public let label: String
        public let color: String
        public let points: [(x: Double, y: Double)]
        /// Mean ± std of a seed group, drawn faint under its mean line.
        public let band: [(x: Double, low: Double, high: Double)]

        public init(
            label: String, color: String, points: [(x: Double, y: Double)],
            band: [(x: Double, low: Double, high: Double)] = []
        ) {
            self.label = label
            self.color = color
            self.points = points
            self.band = band
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logY: Bool
    public var series: [Series]
    public var width = 860.0
    public var height = 480.0

    public init(title: String, xLabel: String, yLabel: String, logY: Bool = false, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logY = logY
        self.series = series
    }

    /// Tableau's ten colours, then again.
    public static let palette = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    /// Decades of a log axis (with 2 and 5 between when it spans less than two).
    public static func logTicks(low: Double, high: Double) -> [Double] {
        guard low > 0, high > low else { return low > 0 ? [low] : [] }
        let lowDecade = Int(floor(log10(low))), highDecade = Int(ceil(log10(high)))
        let multiples: [Double] = highDecade - lowDecade < 2 ? [1, 2, 5] : [1]
        var ticks: [Double] = []
        for decade in lowDecade...highDecade {
            for multiple in multiples {
                let tick = multiple * pow(10, Double(decade))
                if tick >= low * (1 - 1e-9) && tick <= high * (1 + 1e-9) { ticks.append(tick) }
            }
        }
        return ticks
    }

    static func label(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 { return String(format: "%.0e", value) }
        return String(format: "%g", (value * 1e6).rounded() / 1e6)
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// At most this many series a plot: more colours than this are not told apart.
    public static let seriesLimit = 8

    /// The legend's width: the longest label in full (about 7 px a character at 12 px), at least 230 px.
    var legendWidth: Double {
        max(230, 44 + 7.2 * Double(series.map { legendText($0).count }.max() ?? 0))
    }

    /// A series' legend entry; one with nothing to draw says so rather than vanish.
    func legendText(_ line: Series) -> String {
        let drawable = line.points.contains { $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) }
        return line.label + (drawable ? "" : " (no finite values)")
    }

    public func render() -> String {
        let legendWidth = legendWidth, left = 72.0, top = 40.0, bottom = 52.0, right = 16.0
        // The plot keeps its width; the file widens for a long legend, which is never cut.
        let width = max(self.width, 860 - 230 + legendWidth)
        let plotWidth = width - left - legendWidth - right, plotHeight = height - top - bottom
        func usable(_ y: Double) -> Bool { y.isFinite && (!logY || y > 0) }
        let xs = series.flatMap { $0.points.map(\.x) + $0.band.map(\.x) }.filter(\.isFinite)
        let ys = series.flatMap { $0.points.map(\.y) + $0.band.flatMap { [$0.low, $0.high] } }.filter(usable)
        var xLow = xs.min() ?? 0, xHigh = xs.max() ?? 1
        if xHigh <= xLow { (xLow, xHigh) = (xLow - 1, xHigh + 1) }
        var yLow = ys.min() ?? 0, yHigh = ys.max() ?? 1
        if yHigh <= yLow { (yLow, yHigh) = logY ? (yLow / 2, yHigh * 2) : (yLow - 1, yHigh + 1) }
        if !logY {
            let pad = 0.04 * (yHigh - yLow)
            (yLow, yHigh) = (yLow - pad, yHigh + pad)
        }
        let transform = { (y: Double) in logY ? log10(y) : y }
        let tLow = transform(yLow), tHigh = transform(yHigh)
        func px(_ x: Double) -> Double { left + (x - xLow) / (xHigh - xLow) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - (transform(y) - tLow) / (tHigh - tLow)) * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }

        var svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(left))" y="24" font-size="15" font-weight="bold">\(Self.escaped(title))</text>

            """
        // Grid and ticks.
        let xTicks = AxisTicks.ticks(lower: xLow, upper: xHigh, count: 6)
        let yTicks = logY ? Self.logTicks(low: yLow, high: yHigh) : AxisTicks.ticks(lower: yLow, upper: yHigh, count: 6)
        svg += "<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">\n"
        for x in xTicks {
            svg += "<line x1=\"\(f(px(x)))\" y1=\"\(f(top))\" x2=\"\(f(px(x)))\" y2=\"\(f(top + plotHeight))\"/>\n"
        }
        for y in yTicks {
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(y)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(py(y)))\"/>\n"
        }
        svg += "</g>\n<g class=\"axes\" fill=\"#333\">\n"
        svg +=
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#888\"/>\n"
        for x in xTicks {
            svg +=
                "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(Self.label(x))</text>\n"
        }
        for y in yTicks {
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">\(Self.label(y))</text>\n"
        }
        svg +=
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">\(Self.escaped(xLabel))</text>\n"
        svg +=
            "<text transform=\"translate(16 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">"
            + Self.escaped(yLabel + (logY ? " (log)" : "")) + "</text>\n</g>\n"
        // Bands, then lines, clipped to the plot area.
        svg +=
            "<clipPath id=\"plot\"><rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\"/></clipPath>\n"
        svg += "<g clip-path=\"url(#plot)\">\n"
        for line in series where !line.band.isEmpty {
            let band = line.band.filter { $0.x.isFinite && usable($0.low) && usable($0.high) }
            guard band.count > 1 else { continue }
            let upper = band.map { "\(f(px($0.x))),\(f(py($0.high)))" }
            let lower = band.reversed().map { "\(f(px($0.x))),\(f(py($0.low)))" }
            svg +=
                "<path class=\"band\" d=\"M" + (upper + lower).joined(separator: " L")
                + " Z\" fill=\"\(line.color)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
        }
        for line in series {
            var d = "", pen = false
            for point in line.points {
                guard point.x.isFinite, usable(point.y) else {
                    pen = false
                    continue
                }
                d += (pen ? " L" : (d.isEmpty ? "M" : " M")) + "\(f(px(point.x))),\(f(py(point.y)))"
                pen = true
            }
            svg +=
                "<path class=\"run\" d=\"\(d)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.6\">"
                + "<title>\(Self.escaped(line.label))</title></path>\n"
        }
        svg += "</g>\n<g class=\"legend\">\n"
        for (index, line) in series.enumerated() {
            let y = top + 8 + Double(index) * 18
            guard y < height - 10 else { break }
            let x = left + plotWidth + 16
            svg +=
                "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 22))\" y2=\"\(f(y))\" stroke=\"\(line.color)\" stroke-width=\"3\"/>"
                + "<text x=\"\(f(x + 28))\" y=\"\(f(y + 4))\">\(Self.escaped(legendText(line)))</text>\n"
        }
        return svg + "</g>\n</svg>\n"
    }
}
