import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed (release builds only: debug timings mean nothing).",
        subcommands: [
            GemmBenchCommand.self, TrainBenchCommand.self, EmergenceBenchCommand.self, RunsBenchCommand.self,
            DashboardBenchCommand.self, FoldersBenchCommand.self, PeakBenchCommand.self,
        ],
        defaultSubcommand: GemmBenchCommand.self)
}
