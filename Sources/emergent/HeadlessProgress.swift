import DashboardCore
import EmergentCore
import Foundation
import Synchronization

/// The progress of `emergent run` on stderr: on a terminal, one bar per run redrawn in place
/// a few times a second; otherwise plain lines at phase changes and epoch ends.
final class HeadlessProgress: Sendable {
    let manager: RunManager
    let interactive: Bool
    private let start = ContinuousClock.now
    private let bars = Mutex(ProgressBars())
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
                guard let line = ProgressText.line(for: event), let snapshot = manager?.snapshot(id) else { return }
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

    private func redraw() {
        let runs = manager.snapshots(), elapsed = (ContinuousClock.now - start).seconds
        FileHandle.standardError.write(Data(bars.withLock { $0.frame(runs, elapsed: elapsed) }.utf8))
    }
}
