import EmergentCore
import Foundation
import Synchronization

/// The progress of `emergent run` on stderr: on a terminal, one bar per run redrawn in place
/// a few times a second; otherwise plain lines at phase changes and epoch ends.
final class HeadlessProgress: Sendable {
    let manager: RunManager
    let interactive: Bool
    private let start = ContinuousClock.now
    private let drawnLines = Mutex(0)
    /// Held under a mutex because Dispatch's timer type is not Sendable; touched at start and end only.
    private let timer = Mutex<DispatchSourceTimer?>(nil)

    init(manager: RunManager, interactive: Bool) {
        self.manager = manager
        self.interactive = interactive
    }

    func attach() {
        if interactive {
            timer.withLock { timer in
                let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "emergent.progress"))
                source.schedule(deadline: .now() + 0.2, repeating: 0.25)
                // Weak: the timer must not keep the progress, and through it the manager, alive.
                source.setEventHandler { [weak self] in self?.redraw() }
                source.resume()
                timer = source
            }
        } else {
            // Weak: the manager holds this closure; a strong capture would keep both alive forever.
            manager.subscribe { [weak manager] id, event in
                guard let line = Self.line(for: event), let snapshot = manager?.snapshot(id) else { return }
                FileHandle.standardError.write(
                    Data("[\(snapshot.config.label) seed \(snapshot.config.seed)] \(line)\n".utf8))
            }
        }
    }

    func finish() {
        guard interactive else { return }
        timer.withLock { $0?.cancel() }
        redraw()
    }

    /// One epoch's numbers, as the plain progress of `run` and `train` print them.
    static func epochLine(_ record: EpochRecord) -> String {
        String(
            format: "epoch %d  step %d  train loss %.4f  test loss %.4f  test acc %.2f %%", record.epoch, record.step,
            record.trainLoss, record.test["test/loss"] ?? .nan, 100 * (record.test["test/acc"] ?? .nan))
    }

    static func line(for event: RunEvent) -> String? {
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

    private func redraw() {
        let elapsed = (ContinuousClock.now - start).seconds
        let lines = manager.snapshots().map { Self.bar($0, elapsed: elapsed) }
        let previous = drawnLines.withLock { count in
            defer { count = lines.count }
            return count
        }
        let up = previous > 0 ? "\u{1B}[\(previous)A" : ""
        FileHandle.standardError.write(Data((up + lines.map { "\u{1B}[2K" + $0 + "\n" }.joined()).utf8))
    }

    static func bar(_ run: RunSnapshot, elapsed: Double) -> String {
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
