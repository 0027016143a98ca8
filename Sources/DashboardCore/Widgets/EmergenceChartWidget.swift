import EmergentCore
import Foundation

/// The log10 E chart over training.
extension DashboardView {
    static func emergence(_ state: DashboardState, _ buffer: inout CellBuffer, area: Rect, theme: Theme) {
        chart(
            String(format: "log10 E (τ %g), decades", state.tau), trainKey: nil,
            testKey: "emergence/log10E", state: state, logY: false, smoothing: 0,
            &buffer, area: area, focused: state.pane == .emergence, theme: theme)
    }
}
