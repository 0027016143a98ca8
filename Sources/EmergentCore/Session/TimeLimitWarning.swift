import Foundation
import Synchronization

/// SIGUSR1, which a Slurm task's script passes on at its time limit's warning: every run
/// checkpoints at its next step and pauses, so the process can end and be requeued.
public final class TimeLimitWarning {
    /// What the signal handler and the command share.
    private final class Shared: Sendable {
        let state = Mutex<(arrived: Bool, session: ExperimentSession?)>((false, nil))
    }

    private let shared = Shared()
    private let source: any DispatchSourceSignal

    public init() {
        signal(SIGUSR1, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        source.setEventHandler { [shared] in
            let session = shared.state.withLock { state -> ExperimentSession? in
                state.arrived = true
                return state.session
            }
            session?.checkpointAndPause()
        }
        source.resume()
    }

    deinit { source.cancel() }

    public var arrived: Bool { shared.state.withLock { $0.arrived } }

    /// From now on a warning checkpoints `session`; one that already came does so at once.
    public func attach(_ session: ExperimentSession) {
        let arrived = shared.state.withLock { state -> Bool in
            state.session = session
            return state.arrived
        }
        if arrived { session.checkpointAndPause() }
    }
}
