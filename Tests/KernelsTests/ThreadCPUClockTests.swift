#if canImport(Glibc)
import Glibc
#endif
@testable import Kernels
import Testing

/// A run's compute is its thread's CPU time plus its split products' helpers: never more
/// than the process used, never less than the thread itself, and never more than the wall
/// clock for one thread's own work (whatever the machine's load).
@Suite("The thread CPU clock that run seconds are measured on")
struct ThreadCPUClockTests {
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func wallSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    @Test("one thread's own work: the clock grows, and by no more than the wall clock")
    func ownWork() {
        let (cpuBefore, wallBefore) = (ThreadCPUClock.seconds(), Self.wallSeconds())
        var x = 1.0
        for index in 0..<20_000_000 { x = x * 1.000000001 + Double(index & 7) * 1e-12 }
        let (cpuAfter, wallAfter) = (ThreadCPUClock.seconds(), Self.wallSeconds())
        #expect(x > 1)
        #expect(cpuAfter > cpuBefore, "the work took CPU time")
        #expect(cpuAfter - cpuBefore <= wallAfter - wallBefore + 1e-3, "one thread cannot use more CPU than wall time")
    }

    @Test("a product split over 2 threads: the caller is credited at least its own time and at most the process's")
    func splitProducts() {
        let previous = GemmThreads.current
        GemmThreads.current = 2
        defer { GemmThreads.current = previous }
        let problem = GemmProblem(m: 512, k: 512, n: 512, transposeA: false, transposeB: false, accumulate: false, padding: 0, seed: 3)
        // The readings nest (clock, own … own, clock): the thread's own time read between the
        // clock's readings cannot outgrow the clock by the microseconds between two reads.
        let processBefore = Self.processCPUSeconds()
        let clockBefore = ThreadCPUClock.seconds()
        let ownBefore = Double(ThreadCPUClock.ownNanoseconds()) / 1e9
        for _ in 0..<4 { _ = problem.run(on: nativeBackends[0], threads: 2) }
        let ownAfter = Double(ThreadCPUClock.ownNanoseconds()) / 1e9
        let clockAfter = ThreadCPUClock.seconds()
        let processAfter = Self.processCPUSeconds()
        #expect(clockAfter - clockBefore >= ownAfter - ownBefore, "the helpers' share is added, never taken away")
        // getrusage counts in microseconds; other tests' threads only add to the process's side.
        #expect(clockAfter - clockBefore <= processAfter - processBefore + 0.01, "no CPU time is counted twice")
    }
}
