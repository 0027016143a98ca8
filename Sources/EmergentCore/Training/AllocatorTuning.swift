#if canImport(Glibc)
import Glibc
#endif

/// Keeps glibc from handing freed activation buffers back to the kernel. A training step
/// allocates and frees the same multi-megabyte tensors every time; with glibc's defaults
/// many are fresh mmaps or trimmed heap, and every page is faulted in and zeroed again
/// (6 % of a CNN step, measured). Called once by training entry points.
public enum AllocatorTuning {
    public static func keepFreedMemory() {
        #if canImport(Glibc)
        // mallopt is declared in <malloc.h>, which the Glibc module does not export.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, Int32.max)
        #endif
    }
}
