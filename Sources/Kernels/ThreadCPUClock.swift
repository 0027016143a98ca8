#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The CPU time a thread has used, plus what helper threads spent on its split matrix
/// products: a run's own compute, which other runs and other programs on the machine do not
/// inflate as they inflate wall time.
public enum ThreadCPUClock {
    /// Seconds of CPU the calling thread has used, with its products' helpers' share.
    public static func seconds() -> Double {
        Double(ownNanoseconds() &+ helperNanoseconds()) / 1e9
    }

    /// The calling thread's own CPU time (CLOCK_THREAD_CPUTIME_ID), in nanoseconds.
    static func ownNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Helper threads' CPU nanoseconds credited to the calling thread so far.
    static func helperNanoseconds() -> UInt64 {
        pthread_getspecific(key).map { UInt64(UInt(bitPattern: $0)) } ?? 0
    }

    /// Credits the calling thread with `nanoseconds` of helper work (stored in the
    /// thread-specific slot itself: no allocation).
    static func credit(_ nanoseconds: UInt64) {
        guard nanoseconds > 0 else { return }
        let total = helperNanoseconds() &+ nanoseconds
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: UInt(truncatingIfNeeded: total)))
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key, nil)
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()
}
