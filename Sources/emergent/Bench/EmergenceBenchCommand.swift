import ArgumentParser
import Benchmarks
import EmergentCore
import Foundation

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
        guard (1...100_000).contains(cadence) else {
            throw ValidationError("--cadence \(cadence) is out of range; it must be in 1...100000")
        }
        do { _ = try TrainingBenchmark.cases(named: models) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let cases = try TrainingBenchmark.cases(named: models)
        let names = cases.map(\.name)
        let benchmark = TrainingBenchmark(windows: timing.windows, windowSeconds: timing.seconds(default: 0.5))
        if !json {
            print(
                "live measurement (probe of \(TrainingBenchmark.probeSize)) vs training step (batch \(TrainingBenchmark.batch)), one thread"
            )
            print(BenchMachine(instructionSet: .detected).line)
            print("model        step ms   measure ms   measure/step   share at every \(cadence) steps   target ≤ 2 %")
        }
        var rows: [[String: Double]] = []
        for benchCase in cases {
            let cost = benchmark.measurementCost(benchCase)
            let share = cost.shareOfTraining(cadence: cadence)
            rows.append([
                "step_ms": cost.stepMilliseconds, "measurement_ms": cost.measurementMilliseconds, "share": share,
            ])
            if !json {
                print(
                    benchCase.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + String(
                            format: "%8.2f  %11.2f  %13.3f  %23.2f %%   %@", cost.stepMilliseconds,
                            cost.measurementMilliseconds,
                            cost.measurementMilliseconds / cost.stepMilliseconds, 100 * share,
                            share <= 0.02 ? "met" : "NOT met"))
            }
        }
        if json {
            print(try JSONOutput.text(Dictionary(uniqueKeysWithValues: zip(names, rows))))
        }
    }
}
