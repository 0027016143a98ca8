@testable import EmergentCore
import Foundation
import Testing

@Suite("Bounded series histories and summary statistics")
struct SeriesHistoryTests {
    @Test("memory stays bounded while the extremes, the mean and the latest points survive")
    func bounded() {
        var history = SeriesHistory(recentCapacity: 64, bucketCapacity: 16, bucketWidth: 4)
        var sum = 0.0
        for i in 0..<100_000 {
            let y = sin(Double(i) / 300) * Double(i % 7)
            sum += y
            history.append(x: Double(i), y: y)
        }
        #expect(history.recent.count <= 64 && history.buckets.count <= 16)
        #expect(history.count == 100_000)
        #expect(history.recent.last == .init(x: 99_999, y: sin(99_999.0 / 300) * Double(99_999 % 7)))
        let bucketed = history.buckets.reduce(0) { $0 + $1.count } + history.recent.count
        #expect(bucketed == 100_000)
        let total = history.buckets.reduce(0) { $0 + $1.sum } + history.recent.reduce(0) { $0 + $1.y }
        #expect(abs(total - sum) < 1e-6 * max(abs(sum), 1))
        let largest = max(history.buckets.map(\.maximum).max()!, history.recent.map(\.y).max()!)
        #expect(abs(largest - 6) < 0.01)
        let xs = history.points.map(\.x)
        #expect(xs == xs.sorted())
    }

    @Test("mean and sample standard deviation follow their formulas")
    func statistics() {
        let statistic = ExperimentSummary.Statistic(values: [2, 4, 4, 4, 5, 5, 7, 9])
        #expect(statistic.mean == 5)
        #expect(abs(statistic.standardDeviation - (32.0 / 7).squareRoot()) < 1e-12)
        #expect(ExperimentSummary.Statistic(values: [3]).standardDeviation == 0)
    }
}
