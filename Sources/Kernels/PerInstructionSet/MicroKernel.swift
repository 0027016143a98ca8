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

/// The first element of op(A) in each row of a tile, `microRows` of them (`r6` and `r7`
/// unused with six): a panel's rows a stride apart, or any rows, repeated past the last.
struct TileRows {
    let r0, r1, r2, r3, r4, r5, r6, r7: UnsafePointer<Float>

    @inline(__always)
    init(_ a: UnsafePointer<Float>, rowStride: Int) {
        r0 = a; r1 = a + rowStride; r2 = a + 2 * rowStride; r3 = a + 3 * rowStride
        r4 = a + 4 * rowStride; r5 = a + 5 * rowStride; r6 = a + 6 * rowStride; r7 = a + 7 * rowStride
    }

    /// Rows `start…start+rows−1` of `a`; the rest repeat the last one.
    @inline(__always)
    init(_ a: (Int) -> UnsafePointer<Float>, start: Int, rows: Int) {
        let last = rows - 1
        r0 = a(start); r1 = a(start + min(1, last)); r2 = a(start + min(2, last)); r3 = a(start + min(3, last))
        r4 = a(start + min(4, last)); r5 = a(start + min(5, last)); r6 = a(start + min(6, last))
        r7 = a(start + min(7, last))
    }
}

/// A tile's sums: two vectors for each of its `microRows` rows.
struct TileSums<V: SIMD> where V.Scalar == Float {
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
    var c40 = V(), c41 = V(), c50 = V(), c51 = V(), c60 = V(), c61 = V(), c70 = V(), c71 = V()

    /// Row `r`'s two vectors (`r` a constant once inlined).
    @inline(__always)
    func row(_ r: Int) -> (V, V) {
        switch r {
        case 0: (c00, c01)
        case 1: (c10, c11)
        case 2: (c20, c21)
        case 3: (c30, c31)
        case 4: (c40, c41)
        case 5: (c50, c51)
        case 6: (c60, c61)
        default: (c70, c71)
        }
    }
}

/// The register-blocked inner product: Σ over `depth` of each row's A element (stepping
/// `depthStride`) times the `2·V.scalarCount` floats of a packed B row.
@inline(__always)
func tileSums<V: SIMD>(
    _: V.Type, depth: Int, rows a: TileRows, depthStride: Int, b: UnsafePointer<Float>
) -> TileSums<V> where V.Scalar == Float {
    let width = V.scalarCount
    var t = TileSums<V>()
    let eightRows = microRows == 8  // a constant per module: the unused rows fold away
    var bRow = UnsafeRawPointer(b)
    let bStride = 2 * width * MemoryLayout<Float>.stride
    var offset = 0
    for _ in 0..<depth {
        let b0 = bRow.loadUnaligned(as: V.self)
        let b1 = bRow.loadUnaligned(fromByteOffset: width * MemoryLayout<Float>.stride, as: V.self)
        var broadcast = V(repeating: a.r0[offset])
        t.c00 = multiplyAdd(t.c00, broadcast, b0); t.c01 = multiplyAdd(t.c01, broadcast, b1)
        broadcast = V(repeating: a.r1[offset])
        t.c10 = multiplyAdd(t.c10, broadcast, b0); t.c11 = multiplyAdd(t.c11, broadcast, b1)
        broadcast = V(repeating: a.r2[offset])
        t.c20 = multiplyAdd(t.c20, broadcast, b0); t.c21 = multiplyAdd(t.c21, broadcast, b1)
        broadcast = V(repeating: a.r3[offset])
        t.c30 = multiplyAdd(t.c30, broadcast, b0); t.c31 = multiplyAdd(t.c31, broadcast, b1)
        broadcast = V(repeating: a.r4[offset])
        t.c40 = multiplyAdd(t.c40, broadcast, b0); t.c41 = multiplyAdd(t.c41, broadcast, b1)
        broadcast = V(repeating: a.r5[offset])
        t.c50 = multiplyAdd(t.c50, broadcast, b0); t.c51 = multiplyAdd(t.c51, broadcast, b1)
        if eightRows {
            broadcast = V(repeating: a.r6[offset])
            t.c60 = multiplyAdd(t.c60, broadcast, b0); t.c61 = multiplyAdd(t.c61, broadcast, b1)
            broadcast = V(repeating: a.r7[offset])
            t.c70 = multiplyAdd(t.c70, broadcast, b0); t.c71 = multiplyAdd(t.c71, broadcast, b1)
        }
        offset &+= depthStride
        bRow += bStride
    }
    return t
}

/// A full `microRows × 2·V.scalarCount` tile of C.
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
    let sums = tileSums(V.self, depth: depth, rows: TileRows(a, rowStride: rowStride), depthStride: depthStride, b: b)
    for row in 0..<microRows {
        let (left, right) = sums.row(row)
        storeRow(left, right, to: c + row * ldc, width: width, accumulate: accumulate)
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
