@testable import DashboardCore
import EmergentCore
import Foundation
import Testing

@Suite("Cell buffer, braille canvas, ticks and smoothing")
struct CellBufferTests {
    @Test(
        "text is clipped to its width and to the buffer, at any size including 0×0 and 1×1",
        arguments: [
            (0, 0), (1, 1), (2, 2), (10, 3),
        ])
    func clipping(width: Int, height: Int) {
        var buffer = CellBuffer(width: width, height: height)
        let written = buffer.write("emergence", x: 1, y: 0, maxWidth: 4)
        #expect(written == (height > 0 ? min(4, max(width - 1, 0)) : 0))
        buffer.write("far", x: -2, y: height - 1)
        buffer.write("off", x: width + 5, y: 0)
        buffer.fill(Rect(x: -3, y: -3, width: 100, height: 1))
        #expect(buffer.cells.count == width * height)
        if width == 10 { #expect(buffer.text == " emer\n\nr") }
        if width == 10 {
            var fresh = CellBuffer(width: 10, height: 1)
            fresh.write("emergence", x: 1, y: 0, maxWidth: 4)
            #expect(fresh.text == " emer")
        }
    }

    @Test("each braille dot sets its Unicode bit; lines join their end points")
    func braille() {
        var canvas = BrailleCanvas(width: 2, height: 1)
        canvas.set(x: 0, y: 0)
        #expect(canvas.character(x: 0, y: 0) == "\u{2801}")
        canvas.set(x: 1, y: 3)
        #expect(canvas.character(x: 0, y: 0) == "\u{2881}")
        canvas.set(x: 2, y: 1)
        canvas.set(x: 3, y: 2)
        #expect(canvas.character(x: 1, y: 0) == "\u{2822}")  // dot 2 (0x02) and dot 6 (0x20)
        canvas.set(x: 99, y: 0)  // outside: ignored
        var line = BrailleCanvas(width: 4, height: 1)
        line.line(from: (0, 3), to: (7, 0), color: .ansi(2))
        var buffer = CellBuffer(width: 4, height: 1)
        line.draw(into: &buffer, at: (0, 0))
        #expect(buffer.text.count == 4 && !buffer.text.contains(" "))
        #expect(buffer[0, 0].style.foreground == .ansi(2))
    }

    @Test(
        "ticks are 1, 2 or 5 × 10^k and cover the range",
        arguments: [
            (0.0, 1.0, 5, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
            (0.0, 10.0, 5, [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]),
            (0.13, 0.87, 4, [0.2, 0.4, 0.6, 0.8]),
            (-3.0, 47.0, 5, [0.0, 10.0, 20.0, 30.0, 40.0]),
            (1200.0, 9100.0, 3, [2000.0, 4000.0, 6000.0, 8000.0]),
        ])
    func ticks(lower: Double, upper: Double, count: Int, expected: [Double]) {
        let ticks = AxisTicks.ticks(lower: lower, upper: upper, count: count)
        #expect(ticks.count == expected.count)
        for (tick, value) in zip(ticks, expected) { #expect(abs(tick - value) < 1e-9, "\(ticks)") }
    }

    @Test("debiased EMA follows its formula and passes non-finite values through")
    func smoothing() {
        let values = [1.0, 2.0, 3.0, .nan, 4.0]
        let smoothed = Smoothing.debiasedEMA(values, weight: 0.6)
        var last = 0.0, n = 0.0
        var expected: [Double] = []
        for value in values {
            guard value.isFinite else { expected.append(value); continue }
            last = 0.6 * last + 0.4 * value
            n += 1
            expected.append(last / (1 - pow(0.6, n)))
        }
        #expect(smoothed[0] == 1, "the first point is not pulled toward zero")
        for (a, b) in zip(smoothed, expected) where b.isFinite { #expect(abs(a - b) < 1e-12) }
        #expect(smoothed[3].isNaN)
        #expect(Smoothing.debiasedEMA(values.filter(\.isFinite), weight: 0) == [1, 2, 3, 4])
    }
}
