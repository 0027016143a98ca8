import CKernelSupport

// Shared source: compiled into KernelsAVX512, KernelsAVX2 and KernelsPortable through
// symlinks, each with its own `-target-cpu` and a compilation condition that picks the
// vector widths below. The choices live in this file, not beside it, because debug builds
// compile file by file and could not otherwise inline `multiplyAdd` into the kernel.

#if KERNELS_AVX512
/// 8×32 tiles of zmm FMAs; the narrow 8×16 kernel uses ymm. 32 vector registers hold 16
/// accumulators, two B vectors and a broadcast.
typealias WideVector = SIMD16<Float>
typealias NarrowVector = SIMD8<Float>
let microRows = 8
#elseif KERNELS_AVX2
/// 6×16 tiles of ymm FMAs; 6 rows keep 12 accumulators, two B vectors and a broadcast
/// within AVX2's 16 registers.
typealias WideVector = SIMD8<Float>
typealias NarrowVector = SIMD4<Float>
let microRows = 6
#else
/// Baseline x86-64 (SSE2) or any other CPU: 6×8 tiles of 128-bit vectors.
typealias WideVector = SIMD4<Float>
typealias NarrowVector = SIMD2<Float>
let microRows = 6
#endif

@inline(__always)
func multiplyAdd<V: SIMD>(_ sum: V, _ a: V, _ b: V) -> V where V.Scalar == Float {
    #if KERNELS_AVX512 || KERNELS_AVX2
    sum.addingProduct(a, b)
    #else
    // Without an FMA target feature `addingProduct` becomes one libm `fmaf` call per lane,
    // 30 times slower than a separate multiply and add.
    sum + a * b
    #endif
}

/// The register-blocked inner product of a `microRows × 2·V.scalarCount` tile of C.
///
/// `a` is read with explicit strides so the same kernel serves packed A panels
/// (`rowStride` 1, `depthStride` microRows) and A read in place when packing would cost as
/// much as the arithmetic (tiny N). `b` is a packed panel: `depth` rows of
/// `2·V.scalarCount` contiguous floats. `c` receives the full tile, added to what is there
/// when `accumulate` is set.
@inline(__always)
func microKernel<V: SIMD>(
    _: V.Type, depth: Int,
    a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) where V.Scalar == Float {
    let width = V.scalarCount
    // Prefetch the C tile now: its rows are ldc apart and often out of cache, and sixteen
    // misses at the final store would otherwise stall every call on large products (0.91
    // → 0.99 of OpenBLAS at 1024³). Shallow calls end too soon for it to pay.
    for row in 0..<microRows where depth >= 32 {
        kernel_prefetch_for_write(c + row * ldc)
        kernel_prefetch_for_write(c + row * ldc + 2 * width - 1)
    }
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
    var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
    var c60 = V(), c61 = V(), c70 = V(), c71 = V()
    let eightRows = microRows == 8  // a constant per module: the unused rows fold away
    let a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride
    let a4 = a + 4 * rowStride, a5 = a + 5 * rowStride, a6 = a + 6 * rowStride, a7 = a + 7 * rowStride
    var bRow = UnsafeRawPointer(b)
    let bStride = 2 * width * MemoryLayout<Float>.stride
    var offset = 0
    for _ in 0..<depth {
        let b0 = bRow.loadUnaligned(as: V.self)
        let b1 = bRow.loadUnaligned(fromByteOffset: width * MemoryLayout<Float>.stride, as: V.self)
        var broadcast = V(repeating: a0[offset])
        c00 = multiplyAdd(c00, broadcast, b0); c01 = multiplyAdd(c01, broadcast, b1)
        broadcast = V(repeating: a1[offset])
        c10 = multiplyAdd(c10, broadcast, b0); c11 = multiplyAdd(c11, broadcast, b1)
        broadcast = V(repeating: a2[offset])
        c20 = multiplyAdd(c20, broadcast, b0); c21 = multiplyAdd(c21, broadcast, b1)
        broadcast = V(repeating: a3[offset])
        c30 = multiplyAdd(c30, broadcast, b0); c31 = multiplyAdd(c31, broadcast, b1)
        broadcast = V(repeating: a4[offset])
        c40 = multiplyAdd(c40, broadcast, b0); c41 = multiplyAdd(c41, broadcast, b1)
        broadcast = V(repeating: a5[offset])
        c50 = multiplyAdd(c50, broadcast, b0); c51 = multiplyAdd(c51, broadcast, b1)
        if eightRows {
            broadcast = V(repeating: a6[offset])
            c60 = multiplyAdd(c60, broadcast, b0); c61 = multiplyAdd(c61, broadcast, b1)
            broadcast = V(repeating: a7[offset])
            c70 = multiplyAdd(c70, broadcast, b0); c71 = multiplyAdd(c71, broadcast, b1)
        }
        offset &+= depthStride
        bRow += bStride
    }
    storeRow(c00, c01, to: c, width: width, accumulate: accumulate)
    storeRow(c10, c11, to: c + ldc, width: width, accumulate: accumulate)
    storeRow(c20, c21, to: c + 2 * ldc, width: width, accumulate: accumulate)
    storeRow(c30, c31, to: c + 3 * ldc, width: width, accumulate: accumulate)
    storeRow(c40, c41, to: c + 4 * ldc, width: width, accumulate: accumulate)
    storeRow(c50, c51, to: c + 5 * ldc, width: width, accumulate: accumulate)
    if eightRows {
        storeRow(c60, c61, to: c + 6 * ldc, width: width, accumulate: accumulate)
        storeRow(c70, c71, to: c + 7 * ldc, width: width, accumulate: accumulate)
    }
}

@inline(__always)
private func storeRow<V: SIMD>(
    _ left: V, _ right: V, to row: UnsafeMutablePointer<Float>, width: Int, accumulate: Bool
) where V.Scalar == Float {
    let raw = UnsafeMutableRawPointer(row)
    let rightOffset = width * MemoryLayout<Float>.stride
    if accumulate {
        raw.storeBytes(of: left + raw.loadUnaligned(as: V.self), as: V.self)
        raw.storeBytes(
            of: right + raw.loadUnaligned(fromByteOffset: rightOffset, as: V.self),
            toByteOffset: rightOffset, as: V.self)
    } else {
        raw.storeBytes(of: left, as: V.self)
        raw.storeBytes(of: right, toByteOffset: rightOffset, as: V.self)
    }
}

/// The kernel for full-width panels (`2·WideVector.scalarCount` columns).
@inline(never)
func wideMicroKernel(
    depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
    if rowStride == 1 && depthStride == microRows {  // packed A: constant strides
        microKernel(
            WideVector.self, depth: depth, a: a, rowStride: 1, depthStride: microRows,
            b: b, c: c, ldc: ldc, accumulate: accumulate)
    } else {
        microKernel(
            WideVector.self, depth: depth, a: a, rowStride: rowStride, depthStride: depthStride,
            b: b, c: c, ldc: ldc, accumulate: accumulate)
    }
}

/// The kernel for the last panel when at most half the wide width remains: a 128×256×10
/// product would otherwise waste two thirds of every wide FMA.
@inline(never)
func narrowMicroKernel(
    depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
    microKernel(
        NarrowVector.self, depth: depth, a: a, rowStride: rowStride, depthStride: depthStride,
        b: b, c: c, ldc: ldc, accumulate: accumulate)
}
