import ArgumentParser
import EmergentCore
import Foundation

struct EmergenceBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emergence",
        abstract: "Cost of one live emergence measurement (probe forward + emergence + layer statistics) against one training step.")

    @Option(help: "Models, comma-separated: \(TrainingBenchmark.names.joined(separator: ", ")) (default: all).")
    var models: String?

    @Option(help: "Measurements every N training steps (1...100000).")
    var cadence = 50

    @Option(help: "Timed windows (1...100).")
    var windows = 5

    @Option(help: "Minimum seconds per window (0.01...60).")
    var windowSeconds = 0.5

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard (1...100_000).contains(cadence) else { throw ValidationError("--cadence \(cadence) is out of range; it must be in 1...100000") }
        guard (1...100).contains(windows) else { throw ValidationError("--windows \(windows) is out of range; it must be in 1...100") }
        guard windowSeconds.isFinite, (0.01...60).contains(windowSeconds) else {
            throw ValidationError("--window-seconds \(windowSeconds) is out of range; it must be in 0.01...60")
        }
    }

    func run() throws {
        let names = models.map { $0.split(separator: ",").map(String.init) } ?? TrainingBenchmark.names
        let cases = try names.map { name in
            guard let found = TrainingBenchmark.cases.first(where: { $0.name == name }) else {
                throw ValidationError("unknown model '\(name)'; choose from: \(TrainingBenchmark.names.joined(separator: ", "))")
            }
            return found
        }
        let benchmark = TrainingBenchmark(windows: windows, windowSeconds: windowSeconds)
        if !json {
            print("live measurement (probe of \(TrainingBenchmark.probeSize)) vs training step (batch \(TrainingBenchmark.batch)), one thread")
            print("model        step ms   measure ms   measure/step   share at every \(cadence) steps   target ≤ 2 %")
        }
        var rows: [[String: Double]] = []
        for benchCase in cases {
            let cost = benchmark.measurementCost(benchCase)
            let share = cost.shareOfTraining(cadence: cadence)
            rows.append(["step_ms": cost.stepMilliseconds, "measurement_ms": cost.measurementMilliseconds, "share": share])
            if !json {
                print(benchCase.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                      + String(format: "%8.2f  %11.2f  %13.3f  %23.2f %%   %@", cost.stepMilliseconds, cost.measurementMilliseconds,
                               cost.measurementMilliseconds / cost.stepMilliseconds, 100 * share, share <= 0.02 ? "met" : "NOT met"))
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: Dictionary(uniqueKeysWithValues: zip(names, rows)),
                                                  options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
