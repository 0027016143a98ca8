@testable import DashboardCore
@testable import EmergentCore
import Foundation
import Testing

/// The raw loss curve of a run whose epochs end on a small batch: the small batch's noisy
/// loss must not spike the curve or stretch its axis.
@Suite("The loss curve weighs an epoch's small last batch by its samples")
struct PartialBatchCurveTests {
    /// Loss 1 on full batches of 128; every tenth step is a batch of 8 samples with loss 9.
    static func run() throws -> RunSnapshot {
        var run = try SeedGroupFiguresTests.members(steps: [0])[0]
        run.apply(.initialized(InitReport(layers: [], probeForwards: 0)))
        for step in 1...40 {
            let partial = step % 10 == 0
            run.apply(
                .step(
                    StepRecord(
                        step: step, epoch: (step - 1) / 10, loss: partial ? 9 : 1, accuracy: 0.5, learningRate: 0.05,
                        gradientNorm: 1, samples: partial ? 8 : 128, samplesPerSecond: 1, wallTime: Double(step))))
        }
        return run
    }

    /// The largest y label of the loss chart (linear axis).
    static func topLabel(smoothing: Double) throws -> Double {
        var state = DashboardState(experiment: "test", dataset: "d", model: "mlp")
        _ = state.handle(.snapshots([try run()], elapsed: 1, cpu: nil))
        state.logY = false
        state.smoothing = smoothing
        let screen = DashboardView.render(state, width: 200, height: 60, theme: .builtIn).text
        let lines = screen.split(separator: "\n").drop { !$0.contains("loss, nats") }.dropFirst()
        let labels = lines.prefix(40).compactMap { line -> Double? in
            // The label sits before the axis line, right after the box's left edge.
            guard let axis = line.firstIndex(of: "│").map({ line.index(after: $0) }),
                let end = line[axis...].firstIndex(of: "│")
            else { return nil }
            return Double(line[axis..<end].trimmingCharacters(in: .whitespaces))
        }
        return try #require(labels.max(), "no y labels in\n\(screen)")
    }

    @Test("raw: a point of 8 samples is read over the last 128 (1.5, not 9); smoothed: it moves the curve by its share")
    func noSpike() throws {
        // Raw: 8/128 · 9 + 120/128 · 1 = 1.5; the axis tops out near it, nowhere near 9.
        #expect(try Self.topLabel(smoothing: 0) < 2)
        // Smoothed at 0.6: the unweighted EMA would jump to 0.6·1 + 0.4·9 = 4.2.
        #expect(try Self.topLabel(smoothing: 0.6) < 2)
    }
}
