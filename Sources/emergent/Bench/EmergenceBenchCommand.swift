import ArgumentParser
import Benchmarks
import EmergentCore

struct EmergenceBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emergence",
        abstract:
            "Cost of one live emergence measurement (probe forward + emergence + layer statistics) against one training step."
    )

    @Option(help: "Models, comma-separated: \(TrainingBenchmark.names.joined(separator: ", ")) (default: all).")
    var models: String?

    @Option(help: "Measurements every N training steps (1...100000).")
    var cadence = 50

    @OptionGroup var timing: TimingOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        try FlagRange.check("--cadence", cadence, 1...100_000)
        do { _ = try TrainingBenchmark.cases(named: models) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let cases = try TrainingBenchmark.cases(named: models)
        let names = cases.map(\.name)
        let benchmark = TrainingBenchmark(windows: timing.windows, windowSeconds: timing.seconds(default: 0.5))
        let report = EmergenceBenchReport(cadence: cadence, machine: BenchMachine(instructionSet: .detected))
        if !json { print(report.header) }
        var rows: [[String: Double]] = []
        for benchCase in cases {
            let row = report.row(benchmark.measurementCost(benchCase))
            rows.append(row)
            if !json { print(report.line(benchCase.name, row)) }
        }
        if json { print(try JSONOutput.text(Dictionary(uniqueKeysWithValues: zip(names, rows)))) }
    }
}
