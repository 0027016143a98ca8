@testable import DashboardCore
@testable import EmergentCore
import Foundation
import Testing

/// A control's point is its per-layer learning rates: the init pane shows them.
@Suite("The init pane shows a control's per-layer learning-rate multipliers")
struct ControlPaneTests {
    @Test("each layer's init factor and lr multiplier; a run that is not a control shows no lr column")
    func multipliersShown() throws {
        var run = try SeedGroupFiguresTests.members(steps: [0])[0]
        var report = InitReport(
            layers: [
                .init(name: "dense1", standardDeviation: 0.05, scale: 1, reason: "kaiming normal fan_in gain 1.414"),
                .init(name: "dense2", standardDeviation: 0.05, scale: 1, reason: "kaiming normal fan_in gain 1.414"),
            ], probeForwards: 0)
        report.learningRateMultipliers = ["dense1": 1, "dense2": 0.6944]
        run.apply(.initialized(report))
        var state = DashboardState(experiment: "test", dataset: "d", model: "mlp")
        _ = state.handle(.snapshots([run], elapsed: 1, cpu: nil))
        let screen = DashboardView.render(state, width: 200, height: 60, theme: .builtIn).text
        let line = try #require(screen.split(separator: "\n").first { $0.contains("dense2") && $0.contains("×1.000") })
        #expect(line.contains("0.6944"), "\(line)")
        #expect(screen.contains("lr ×"))

        report.learningRateMultipliers = nil
        var plain = try SeedGroupFiguresTests.members(steps: [0])[0]
        plain.apply(.initialized(report))
        _ = state.handle(.snapshots([plain], elapsed: 1, cpu: nil))
        #expect(!DashboardView.render(state, width: 200, height: 60, theme: .builtIn).text.contains("lr ×"))
    }
}
