import Foundation

/// `bench emergence`: a live measurement's cost against a training step, per model.
public struct EmergenceBenchReport {
    public let cadence: Int
    public let machine: BenchMachine

    public init(cadence: Int, machine: BenchMachine) {
        self.cadence = cadence
        self.machine = machine
    }

    public var header: String {
        [
            "live measurement (probe of \(TrainingBenchmark.probeSize)) vs training step (batch \(TrainingBenchmark.batch)), one thread",
            machine.line,
            "model        step ms   measure ms   measure/step   share at every \(cadence) steps   target ≤ 2 %",
        ].joined(separator: "\n")
    }

    /// A model's row: step and measurement milliseconds, and the measurement's share of
    /// training at this cadence.
    public func row(_ cost: TrainingBenchmark.MeasurementCost) -> [String: Double] {
        [
            "step_ms": cost.stepMilliseconds, "measurement_ms": cost.measurementMilliseconds,
            "share": cost.shareOfTraining(cadence: cadence),
        ]
    }

    public func line(_ name: String, _ row: [String: Double]) -> String {
        let step = row["step_ms"] ?? .nan, measurement = row["measurement_ms"] ?? .nan, share = row["share"] ?? .nan
        return name.padding(toLength: 12, withPad: " ", startingAt: 0)
            + String(
                format: "%8.2f  %11.2f  %13.3f  %23.2f %%   %@", step, measurement, measurement / step, 100 * share,
                share <= 0.02 ? "met" : "NOT met")
    }
}
