import Foundation

/// Checkpoints asked for between epochs: every `minutes` of wall time (`--checkpoint-minutes`,
/// so a SIGKILL or a lost node costs at most that much), and once at a time limit's warning,
/// after which every run pauses so the process can end and its task be requeued.
extension ExperimentSession {
    /// Every run that trains checkpoints at its next step boundary and goes on.
    public func checkpointAll() {
        for id in manager.runIDs { try? manager.send(.checkpoint, to: id) }
    }

    /// Every run checkpoints at its next step boundary, then pauses; returns once all have
    /// and their folders are written, so the process may end and a requeued task carry on
    /// from exactly there.
    public func checkpointAndPause() {
        for id in manager.runIDs {
            try? manager.send(.checkpoint, to: id)
            try? manager.send(.pause, to: id)
        }
        manager.waitUntilSettled()
        writer?.flush()
    }

    /// Checkpoints every `minutes` minutes of wall time, on a background queue, until the
    /// returned timer is cancelled.
    public func checkpointPeriodically(minutes: Double) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "emergent.checkpoints"))
        let period = DispatchTimeInterval.milliseconds(Int(minutes * 60_000))
        timer.schedule(deadline: .now() + period, repeating: period)
        timer.setEventHandler { [weak self] in self?.checkpointAll() }
        timer.resume()
        return timer
    }
}
