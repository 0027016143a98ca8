import Benchmarks
import Kernels
import Testing

/// Benchmark columns that say how far they can be trusted: the median with the lowest and
/// highest window, and a share of peak taken against the peak measured beside each window.
@Suite("Benchmark windows: spread and share of peak")
struct WindowSpreadTests {
    @Test("median, lowest and highest of the windows; half the range as a share of the median")
    func spread() {
        let spread = WindowSpread([100, 96, 104, 99, 101])
        #expect(spread.median == 100 && spread.low == 96 && spread.high == 104)
        #expect(spread.halfRangePercent == 4)
        #expect(spread.text() == "100.0 ±4.0%")
        #expect(WindowSpread([3, 1]).median == 2)
        #expect(WindowSpread([]).median.isNaN)
    }

    @Test("with a peak: one peak window before a shape's first round and one after each, a share per round; without: none")
    func sharePerRound() throws {
        let native = try Gemm(backend: .native(.detected))
        let shape = GemmShape(m: 64, k: 64, n: 64)
        let withPeak = GemmBenchmark(shapes: [shape], backends: [native], peak: native, windows: 3, windowSeconds: 0.002)
        let row = try #require(withPeak.run().first)
        #expect(row.peakWindows.count == 4 && row.peakWindows.allSatisfy { $0 > 0 })
        let share = try #require(row.shareOfPeak)
        #expect(share.low > 0 && share.low <= share.median && share.median <= share.high)
        // Each share is a rate over the higher peak beside it: never above the rate over the lowest peak window.
        #expect(share.high <= row.rates[0].high / row.peakWindows.min()!)
        let without = GemmBenchmark(shapes: [shape], backends: [native], windows: 3, windowSeconds: 0.002)
        let bare = try #require(without.run().first)
        #expect(bare.shareOfPeak == nil && bare.peakWindows.isEmpty && bare.rates.count == 1)
    }
}
