@testable import DashboardCore
import EmergentCore
import Foundation
import Testing

@Suite("Line chart")
struct LineChartTests {
    @Test("an ASCII chart of y = x puts one mark per point on the diagonal, with 1-2-5 labels (0 and 5 on 10 rows)")
    func asciiDiagonal() {
        let chart = LineChart(
            series: [.init(points: (0...9).map { (Double($0), Double($0)) }, color: .ansi(2))], symbols: .ascii)
        var buffer = CellBuffer(width: 18, height: 11)
        chart.draw(into: &buffer, area: buffer.bounds, theme: .builtIn)
        let lines = buffer.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Plot area: columns 8...17 (10 wide), rows 0...9; the bottom row holds the x range.
        for i in 0...9 { #expect(buffer[8 + i, 9 - i].character == "*", "point \(i)\n\(buffer.text)") }
        #expect(lines[10].hasPrefix("        0") && lines[10].hasSuffix("9"))
        #expect(
            lines.contains { $0.hasPrefix("      5│") } && lines.contains { $0.hasPrefix("      0│*") },
            "\(buffer.text)")
        #expect(buffer[8, 9].style.foreground == .ansi(2))
    }

    @Test("a log axis ticks at 1, 2 and 5 × 10^k; powers of ten when those are too many; linear 1-2-5 in a narrow range")
    func logTicks() {
        func values(_ low: Double, _ high: Double, _ count: Int) -> [Double] {
            AxisTicks.logTicks(lowerLog: log10(low), upperLog: log10(high), count: count).map {
                Double(String(format: "%.6g", pow(10, $0)))!
            }
        }
        #expect(values(0.15, 1.6, 6) == [0.2, 0.5, 1])
        #expect(values(0.01, 100, 5) == [0.01, 0.1, 1, 10, 100])
        #expect(values(1e-6, 1e6, 4) == [1e-6, 1e-2, 100, 1e6])
        #expect(values(1.1, 1.9, 4) == [1.2, 1.4, 1.6, 1.8])
        // Drawn: the labels of a log chart from 0.15 to 1.6 are 0.2, 0.5 and 1.
        let chart = LineChart(series: [.init(points: [(0, 0.15), (10, 1.6)], color: .terminalDefault)], logY: true, symbols: .ascii)
        var buffer = CellBuffer(width: 40, height: 14)
        chart.draw(into: &buffer, area: buffer.bounds, theme: .builtIn)
        let labels = buffer.text.split(separator: "\n").compactMap { line in
            line.split(separator: "│").first.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        #expect(labels.prefix(3) == ["1", "0.5", "0.2"], "\(buffer.text)")
    }

    @Test("braille charts stay inside their rectangle; log-y leaves out non-positive values")
    func brailleAndLog() {
        let points = (1...50).map { (Double($0), exp(-Double($0) / 10)) } + [(51, 0), (52, .nan)]
        var buffer = CellBuffer(width: 30, height: 8)
        LineChart(series: [.init(points: points, color: .rgb(1, 2, 3))], logY: true)
            .draw(into: &buffer, area: Rect(x: 2, y: 1, width: 20, height: 5), theme: .builtIn)
        for y in 0..<8 {
            for x in 0..<30 where !(2..<22).contains(x) || !(1..<6).contains(y) {
                #expect(buffer[x, y].character == " ")
            }
        }
        let braille = buffer.cells.filter { ("\u{2801}"..."\u{28FF}").contains($0.character) }
        #expect(braille.count >= 10)
        var empty = CellBuffer(width: 0, height: 0)
        LineChart(series: []).draw(into: &empty, area: empty.bounds, theme: .builtIn)
    }

    @Test(
        "labels are compact",
        arguments: [(0.0, "0"), (0.125, "0.125"), (42.0, "42"), (1234.0, "1234"), (2e6, "2e+06"), (1e-4, "1e-04")])
    func labels(value: Double, text: String) { #expect(LineChart.format(value) == text) }
}
