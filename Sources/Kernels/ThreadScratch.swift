#if canImport(Glibc)
import Glibc
#endif

/// Packing memory for GEMM, one grow-only buffer per thread. A fresh allocation per call
/// would fault in up to 4 MiB of pages each time (a quarter of a 512³ product's run time);
/// per-thread buffers need no locking because a thread runs one product at a time.
final class ThreadScratch {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    private init(capacity: Int) {
        self.capacity = capacity
        pointer = Self.allocate(capacity)
    }

    deinit { pointer.deallocate() }

    /// Scratch of at least `count` floats for the calling thread.
    static func forCurrentThread(count: Int) -> UnsafeMutablePointer<Float> {
        let scratch: ThreadScratch
        if let existing = pthread_getspecific(key) {
            scratch = Unmanaged<ThreadScratch>.fromOpaque(existing).takeUnretainedValue()
        } else {
            scratch = ThreadScratch(capacity: count)
            pthread_setspecific(key, Unmanaged.passRetained(scratch).toOpaque())
        }
        if scratch.capacity < count {
            scratch.pointer.deallocate()
            scratch.pointer = allocate(count)
            scratch.capacity = count
        }
        return scratch.pointer
    }

    /// 64-byte aligned so packed panels start on cache lines.
    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
    }

    /// The thread-specific key; its destructor releases a finished thread's scratch.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { opaque in
            guard let opaque else { return }
            Unmanaged<ThreadScratch>.fromOpaque(opaque).release()
        }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()
}
