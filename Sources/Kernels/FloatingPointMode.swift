#if canImport(Glibc)
import Glibc
#endif

/// Floating-point environment of the calling thread.
public enum FloatingPointMode {
    /// Turns on flush-to-zero and denormals-are-zero for the calling thread. Emergence-scaled
    /// runs produce many subnormal activations, and every operation on one costs a
    /// microcode assist (up to 20 % of a training step); training never needs them.
    /// Returns whether the mode could be set on this CPU.
    @discardableResult
    public static func enableFlushToZero() -> Bool {
        #if arch(x86_64) && canImport(Glibc)
        var environment = fenv_t()
        guard fegetenv(&environment) == 0 else { return false }
        environment.__mxcsr |= flushToZeroBits
        return fesetenv(&environment) == 0
        #else
        return false
        #endif
    }

    /// Runs `body` with flush-to-zero on or off as `enabled` says, then restores the thread's
    /// mode: borrowed threads (Dispatch's workers) are left as they were found.
    public static func withFlushToZero<T>(_ enabled: Bool, _ body: () -> T) -> T {
        #if arch(x86_64) && canImport(Glibc)
        var saved = fenv_t()
        guard fegetenv(&saved) == 0 else { return body() }
        var environment = saved
        environment.__mxcsr =
            enabled ? environment.__mxcsr | flushToZeroBits : environment.__mxcsr & ~flushToZeroBits
        fesetenv(&environment)
        defer { fesetenv(&saved) }
        return body()
        #else
        return body()
        #endif
    }

    /// Whether flush-to-zero and denormals-are-zero are both on for the calling thread.
    public static var isFlushToZeroEnabled: Bool {
        #if arch(x86_64) && canImport(Glibc)
        var environment = fenv_t()
        guard fegetenv(&environment) == 0 else { return false }
        return environment.__mxcsr & flushToZeroBits == flushToZeroBits
        #else
        return false
        #endif
    }

    /// MXCSR bit 15 (flush to zero) and bit 6 (denormals are zero).
    private static let flushToZeroBits: UInt32 = 0x8040
}
