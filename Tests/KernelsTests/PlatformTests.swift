import Foundation
import Kernels
import KernelsAVX2
import KernelsAVX512
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

    @Test("/proc/cpuinfo: the first processor's model name and flags; junk lines and a missing file give defaults")
    func cpuinfo() {
        let text = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 9R45
            flags\t\t: fpu avx2 fma avx512f
            garbage line without a colon
            processor\t: 1
            model name\t: Something Else
            flags\t\t: fpu

            """
        let info = CPUInfo(cpuinfo: text)
        #expect(info.modelName == "AMD EPYC 9R45")
        #expect(info.flags == ["fpu", "avx2", "fma", "avx512f"])
        let empty = CPUInfo(cpuinfo: "\u{0}\u{1}: :\n: model name\nmodel name\t:\n")
        #expect(empty.modelName == "unknown CPU" && empty.flags.isEmpty)
        #expect(empty.level1DataBytes == CPUInfo.fallbackLevel1DataBytes)
        #expect(empty.level2Bytes == CPUInfo.fallbackLevel2Bytes)
        #expect(!CPUInfo.current.modelName.isEmpty && CPUInfo.current.level2Bytes > 0)
    }

    @Test("sysfs cache sizes: L1 data and L2 taken, instruction and L3 caches ignored, corrupt sizes keep the fallback")
    func cacheSizes() {
        var info = CPUInfo(cpuinfo: "")
        info.applyCaches([
            ("1\n", "Data\n", "48K\n"), ("1", "Instruction", "64K"), ("2", "Unified", "2048K"),
            ("3", "Unified", "32768K"),
        ])
        #expect(info.level1DataBytes == 48 * 1024 && info.level2Bytes == 2 * 1024 * 1024)
        info.applyCaches([("2", "Unified", "1M")])
        #expect(info.level2Bytes == 1024 * 1024)
        for corrupt in ["", "K", "-4K", "12Q", "99999999999999999999K", "4.5M"] {
            var kept = CPUInfo(cpuinfo: "")
            kept.applyCaches([("2", "Unified", corrupt), ("1", "Data", corrupt)])
            #expect(kept.level2Bytes == CPUInfo.fallbackLevel2Bytes, "size '\(corrupt)'")
            #expect(kept.level1DataBytes == CPUInfo.fallbackLevel1DataBytes, "size '\(corrupt)'")
        }
    }

    @Test("GEMM row blocks fill half of L2 at full depth (256), in whole micro-rows, within 20 to 64 of them")
    func rowBlocks() {
        let kib = 1024
        // AVX2: 6-row micro-tiles; AVX-512: 8 rows. 512 KiB holds 256 rows of depth 256 in its half.
        #expect(KernelsAVX2.PackedGemm.blockRows(level2Bytes: 512 * kib) == 252)
        #expect(KernelsAVX512.PackedGemm.blockRows(level2Bytes: 512 * kib) == 256)
        #expect(KernelsAVX2.PackedGemm.blockRows(level2Bytes: 1024 * kib) == 384, "capped at 64 micro-rows")
        #expect(KernelsAVX512.PackedGemm.blockRows(level2Bytes: 1024 * kib) == 512)
        #expect(KernelsAVX2.PackedGemm.blockRows(level2Bytes: 128 * kib) == 120, "no fewer than 20 micro-rows")
        #expect(KernelsAVX512.PackedGemm.blockRows(level2Bytes: 0) == 160)
    }

    @Test("the FMA peak loop of each family: lanes of its width, 12 chains, and chains that converge to 1")
    func peakLoop() throws {
        let widths: [InstructionSet: Int] = [.avx512: 16, .avx2: 8, .portable: 4]
        for set in InstructionSet.supported {
            let gemm = try Gemm(backend: .native(set))
            let shape = try #require(gemm.peakLoopShape)
            #expect(shape.lanes == widths[set] && shape.chains == 12, "\(set)")
            let (flops, result) = try #require(gemm.runPeakLoop(iterations: 100_000))
            #expect(flops == Double(100_000 * 12 * shape.lanes * 2))
            // c ← c·d + (1 − d) from 0.5…: after n rounds 1 − (1 − c₀)·dⁿ; summed over all lanes.
            let decay = Double(Float(0.999_999))  // 1 − decay is exact in Float: the fixed point is 1
            var expected = 0.0
            for chain in 0..<12 {
                let start = 0.5 + Double(chain) * (1 - decay)
                expected += Double(shape.lanes) * (1 - (1 - start) * pow(decay, 100_000))
            }
            #expect(abs(Double(result) - expected) / expected < 1e-3, "\(set): \(result) vs \(expected)")
        }
        if let openBLAS = try? Gemm(backend: .openBLAS) {
            #expect(openBLAS.peakLoopShape == nil && openBLAS.runPeakLoop(iterations: 1) == nil)
        }
    }

    @Test("withFlushToZero sets the mode for its body, either way, and restores the thread's own")
    func scopedFlushToZero() async {
        let tiny = Float.leastNormalMagnitude
        let (flushed, kept, restored) = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let before = FloatingPointMode.isFlushToZeroEnabled
                let flushed = FloatingPointMode.withFlushToZero(true) { opaque(tiny) * opaque(0.5) }
                let kept = FloatingPointMode.withFlushToZero(false) { opaque(tiny) * opaque(0.5) }
                continuation.resume(returning: (flushed, kept, before == FloatingPointMode.isFlushToZeroEnabled))
            }
        }
        #expect(restored)
        #expect(kept.isSubnormal && kept == tiny / 2)
        #if arch(x86_64)
        #expect(flushed == 0)
        #endif
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
