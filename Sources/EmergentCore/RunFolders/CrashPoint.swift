import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A deliberate SIGKILL after the Nth write of run-folder data (an append, a sync, a
/// temporary file written, a rename), when `EMERGENT_CRASH_AFTER_WRITES=N` is set: the
/// kill-anywhere test stops a real process at every such point and checks that a resume
/// ends where an uninterrupted run does. Unset (always, for users), it costs one load.
enum CrashPoint {
    static let variable = "EMERGENT_CRASH_AFTER_WRITES"
    private static let limit: Int? = ProcessInfo.processInfo.environment[variable].flatMap { Int($0) }
    private static let count = Atomic<Int>(0)

    /// Called after each write; kills the process at the chosen one.
    static func passed() {
        guard let limit else { return }
        if count.add(1, ordering: .relaxed).newValue == limit { kill(getpid(), SIGKILL) }
    }
}
