import Foundation
import Kernels
import Testing

@Suite("CPU detection and floating-point mode")
struct PlatformTests {
    @Test("the detected kernel family is supported, and the portable one always is")
    func detection() {
        #expect(InstructionSet.supported.contains(.portable))
        #expect(InstructionSet.supported.contains(InstructionSet.detected))
        #expect(InstructionSet.supported.first == InstructionSet.detected)
    }

    @Test("an unsupported kernel family or a missing library is refused with the valid choices")
    func backendChecks() throws {
        for set in InstructionSet.allCases where !InstructionSet.supported.contains(set) {
            #expect(throws: Gemm.BackendError.self) { try Gemm(backend: .native(set)) }
        }
        #expect(Gemm.BackendError.unsupported(.avx512).description.contains("portable"))
        #expect(Gemm.BackendError.openBLASMissing.description.contains("apt-get install libopenblas0-pthread"))
    }

    @Test("flush-to-zero turns subnormal results into zero on the thread that enables it")
    func flushToZero() async {
        let tiny = Float.leastNormalMagnitude
        // Computed on a fresh thread so the test process's own mode stays untouched.
        let (before, after, enabled) = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let half = opaque(0.5)
                let before = opaque(tiny) * half
                let enabled = FloatingPointMode.enableFlushToZero()
                let after = opaque(tiny) * half
                continuation.resume(returning: (before, after, enabled && FloatingPointMode.isFlushToZeroEnabled))
            }
        }
        #expect(before.isSubnormal && before == tiny / 2)
        #if arch(x86_64)
        #expect(enabled)
        #expect(after == 0)
        #endif
    }
}

/// Hides a value from the optimizer so the multiplication happens at run time.
@inline(never)
func opaque(_ value: Float) -> Float { value }
