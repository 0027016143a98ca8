@testable import EmergentCore
import Foundation
import Testing

/// A plot's legend is read whole: a long label widens the file instead of being cut, and a
/// series with nothing to draw says so.
@Suite("SVG plots: legends that fit")
struct SVGPlotTests {
    @Test("a 70-character label is written whole, inside the file's width; an empty series is named as such")
    func legendFits() throws {
        let long = String(repeating: "emergence α=1.2 (lr 0.05) ", count: 3).trimmingCharacters(in: .whitespaces)
        let plot = SVGPlot(
            title: "t", xLabel: "step", yLabel: "loss", logY: true,
            series: [
                .init(label: long, color: "#000", points: [(0, 1), (1, 0.5)]),
                .init(label: "diverged", color: "#111", points: [(0, .nan), (1, .infinity)]),
            ])
        let svg = plot.render()
        #expect(svg.contains(">\(SVGPlot.escaped(long))</text>"), "the label whole")
        #expect(svg.contains(">diverged (no finite values)</text>"))
        let widthMatch = try #require(svg.firstMatch(of: /width="(\d+)"/))
        let legendMatch = try #require(svg.firstMatch(of: /<text x="([0-9.]+)" y="[0-9.]+">emergence/))
        let width = try #require(Double(widthMatch.1)), x = try #require(Double(legendMatch.1))
        #expect(x + 7.2 * Double(long.count) <= width, "the legend ends inside the file: \(x) + text vs \(width)")
        #expect(SVGPlot(title: "t", xLabel: "x", yLabel: "y", series: [.init(label: "short", color: "#000", points: [(0, 1)])]).render().contains(#"width="860""#), "short labels keep the usual size")
    }
}
