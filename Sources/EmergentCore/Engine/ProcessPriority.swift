#if canImport(Glibc)
    import Glibc
#endif

/// The priority a worker thread runs at: the process's, as the user set it (`nice`, `chrt`).
/// Dispatch raises its queues' threads by their quality of service (nice −2 for
/// `.userInitiated`, where it may), so `nice emergent sweep …` would not keep a long sweep from
/// starving the user's other work; each worker takes the main thread's niceness and scheduling
/// class back when it starts.
enum ProcessPriority {
    /// Gives the calling thread the main thread's nice value and scheduling policy.
    static func adoptForCurrentThread() {
        #if os(Linux)
            let main = id_t(getpid())  // the main thread's id is the process's
            errno = 0
            let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), main)
            guard errno == 0 else { return }
            var parameters = sched_param()
            let policy = sched_getscheduler(pid_t(main))
            if policy >= 0, sched_getparam(pid_t(main), &parameters) == 0 {
                _ = sched_setscheduler(0, policy, &parameters)
            }
            // On Linux a nice value is a thread's (who 0: the calling thread), and a thread may
            // always lower its own priority.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
        #endif
    }
}
