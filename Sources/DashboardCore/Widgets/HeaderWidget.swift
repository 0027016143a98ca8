import EmergentCore
import Foundation

/// The header line: experiment, dataset, model, clock, CPU and throughput.
extension DashboardView {
    static func header(_ state: DashboardState, _ buffer: inout CellBuffer, theme: Theme) {
        let rate = state.runs.filter { $0.status == .training }.reduce(0) { $0 + $1.samplesPerSecond }
        let live =
            state.frozenClock
            ? "0:00 · — samples/s · CPU —"
            : clock(state.elapsed) + String(format: " · %.0f samples/s", rate)
                + (state.cpu.map { String(format: " · CPU %.0f%%", 100 * $0) } ?? " · CPU —")
        let text =
            "Emergent · \(state.experiment) · \(state.dataset) · \(state.model) · " + live
            + " · \(state.runs.count) runs"
        buffer.write(text, x: 0, y: 0, style: Style(foreground: theme["title"], bold: true), maxWidth: buffer.width)
    }
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        return String(format: "%d:%02d", total / 60, total % 60)
    }
}
