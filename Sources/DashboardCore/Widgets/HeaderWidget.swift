import EmergentCore
import Foundation

/// The header line: experiment, dataset, model, clock, throughput, CPU and resident memory.
extension DashboardView {
    static func header(_ state: DashboardState, _ buffer: inout CellBuffer, theme: Theme) {
        // The sum of what the runs really get through (each over the last seconds of the clock).
        let rates = state.runs.filter { $0.status == .training }.compactMap { state.rates.rate(of: $0.id) }
        let live =
            state.frozenClock
            ? "0:00 · — samples/s · CPU —"
            : clock(state.elapsed)
                + (rates.isEmpty ? " · — samples/s" : String(format: " · %.0f samples/s", rates.reduce(0, +)))
                + (state.cpu.map { String(format: " · CPU %.0f%%", 100 * $0) } ?? " · CPU —")
                + (state.resident.map { String(format: " · %.0f MB", Double($0) / 1_048_576) } ?? "")
        // On a narrow terminal the least needed parts go first: the name of the program, the
        // model, the dataset; the live figures and the run count stay.
        var parts = ["Emergent", state.experiment, state.dataset, state.model, live, "\(state.runs.count) runs"]
        for dropped in ["Emergent", state.model, state.dataset] where parts.joined(separator: " · ").count > buffer.width {
            if let index = parts.firstIndex(of: dropped) { parts.remove(at: index) }
        }
        let text = fitted(parts.joined(separator: " · "), buffer.width)
        buffer.write(text, x: 0, y: 0, style: Style(foreground: theme["title"], bold: true), maxWidth: buffer.width)
    }
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        return String(format: "%d:%02d", total / 60, total % 60)
    }
}
