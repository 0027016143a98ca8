#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// How many threads one matrix product may use, process-wide: 1 (the default) while runs
/// train side by side, one per core; more when a single run has the machine to itself.
/// A product split this way gives the same bits: its rows are divided, and every element
/// is still the same sum in the same order.
public enum GemmThreads {
    private static let storage = Atomic<Int>(1)

    public static var current: Int {
        get { storage.load(ordering: .relaxed) }
        set { storage.store(max(1, newValue), ordering: .relaxed) }
    }

    /// Below this many multiply-adds a product stays on its caller's thread: waking another
    /// costs more than it saves.
    static let minimumWork = 1 << 23
    /// Rows each thread gets at least.
    static let minimumRows = 48
    /// Parts are whole multiples of this many rows: the AVX-512 micro-tile, so a batch of 128
    /// splits 64 + 64 (48-row parts made it 96 + 32, and the second thread idled half the time).
    static let partRows = 8

    /// The threads a product of this size uses when `wanted` are allowed.
    static func threads(m: Int, n: Int, k: Int, wanted: Int = current) -> Int {
        guard wanted > 1, m * n * k >= minimumWork else { return 1 }
        return max(1, min(wanted, m / minimumRows))
    }

    /// Runs `body(rowStart, rows)` over `m` rows split in `threads` parts of whole 8-row
    /// blocks, the parts on Dispatch's worker threads, each with the caller's flush-to-zero
    /// mode (so that the bits do not depend on the split), restored afterwards.
    static func split(m: Int, threads: Int, _ body: @Sendable (_ rowStart: Int, _ rows: Int) -> Void) {
        let share = (m + threads - 1) / threads
        let rowsPerPart = (share + partRows - 1) / partRows * partRows
        let flush = FloatingPointMode.isFlushToZeroEnabled
        let caller = pthread_self()
        // The parts other threads run count as the caller's compute (ThreadCPUClock).
        let helped = Atomic<UInt64>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            let start = part * rowsPerPart
            guard start < m else { return }
            let helper = pthread_equal(pthread_self(), caller) == 0
            let before = helper ? ThreadCPUClock.ownNanoseconds() : 0
            FloatingPointMode.withFlushToZero(flush) { body(start, min(rowsPerPart, m - start)) }
            if helper { helped.add(ThreadCPUClock.ownNanoseconds() &- before, ordering: .relaxed) }
        }
        ThreadCPUClock.credit(helped.load(ordering: .relaxed))
    }
}
