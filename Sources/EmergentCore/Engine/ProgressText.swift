import Foundation

/// The words of headless progress: a line per event worth a line (`run`'s plain progress,
/// `train`'s epochs) and a bar per run (`run` on a terminal).
public enum ProgressText {
    /// One epoch's numbers, as the plain progress of `run` and `train` print them.
    public static func epochLine(_ record: EpochRecord) -> String {
        String(
            format: "epoch %d  step %d  train loss %.4f  test loss %.4f  test acc %.2f %%", record.epoch, record.step,
            record.trainLoss, record.test["test/loss"] ?? .nan, 100 * (record.test["test/acc"] ?? .nan))
    }

    public static func line(for event: RunEvent) -> String? {
        switch event {
        case let .initialized(report):
            return report.probeForwards + report.gradientEvaluations > 0
                ? String(
                    format: "initialized: %d probe passes, %d gradient evaluations, %.2f s", report.probeForwards,
                    report.gradientEvaluations, report.seconds) : nil
        case let .epochEnded(record):
            return epochLine(record)
        case let .diverged(step, loss): return "diverged at step \(step) (loss \(loss))"
        case let .failed(_, message): return "failed: \(message)"
        case let .finished(step): return "done after \(step) steps"
        default: return nil
        }
    }


    /// `train`'s line for an event: what a learned initializer or the updater cost, and each epoch.
    public static func trainLine(for event: RunEvent, initializer: String) -> String? {
        switch event {
        case let .initialized(report) where report.gradientEvaluations > 0:
            return String(
                format: "%@: %d gradient evaluations in %.2f s", initializer, report.gradientEvaluations, report.seconds
            )
        case let .initialized(report) where report.probeForwards > 0:
            return String(format: "%@: %d probe passes in %.2f s", initializer, report.probeForwards, report.seconds)
        case let .updaterFrozen(step, scales, parameters, seconds, probeForwards):
            return String(
                format: "updater: h (%d parameters) frozen after %d steps, %.3f s of its own, %d probe passes; scales ",
                parameters, step, seconds, probeForwards)
                + scales.sorted { $0.key.localizedStandardCompare($1.key) == .orderedAscending }
                .map { String(format: "%@ %.3f", $0.key, $0.value) }.joined(separator: ", ")
        case let .epochEnded(record):
            return epochLine(record) + String(format: "  %.1f s (run time)", record.wallTime)
        default:
            return nil
        }
    }

    public static func bar(_ run: RunSnapshot, elapsed: Double) -> String {
        let label = String((run.config.label + (run.config.seed == 0 ? "" : " s\(run.config.seed)")).prefix(24))
            .padding(toLength: 24, withPad: " ", startingAt: 0)
        let fraction =
            run.status == .initializing ? run.initProgress : Double(run.step) / Double(max(run.totalSteps, 1))
        let filled = Int((fraction * 20).rounded(.down))
        let bar = String(repeating: "█", count: min(filled, 20)) + String(repeating: "·", count: max(20 - filled, 0))
        let loss = run.latest["train/loss"].map { String(format: "loss %.4f", $0) } ?? ""
        let eta: String
        if run.status == .training, run.step > 0 {
            eta = String(format: "ETA %.0fs", elapsed * Double(run.totalSteps - run.step) / Double(run.step))
        } else {
            eta = ""
        }
        return "\(label) \(run.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(bar) "
            + "ep \(run.epoch)/\(run.config.settings.epochs) step \(run.step)/\(run.totalSteps) \(loss) \(eta)"
    }
}
