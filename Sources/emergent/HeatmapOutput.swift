import DashboardCore
import EmergentCore
import Foundation

/// A sweep's heatmap on stdout: as wide as `COLUMNS` says, coloured on a terminal.
enum HeatmapOutput {
    static func text(_ result: SweepResult) -> String {
        let width = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
        return SweepHeatmapText.render(result, width: width, theme: isatty(STDOUT_FILENO) == 1 ? .builtIn : nil)
    }
}
