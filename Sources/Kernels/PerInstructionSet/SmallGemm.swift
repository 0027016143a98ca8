// Shared source: compiled once per instruction set (see MicroKernel.swift).

/// Products too narrow for the packed path's panels: attention's per-head products
/// (14×32·32×14 and the like) and a classifier head (N = 10). The packed path pays a fixed
/// cost per call (edge panels of A copied, every tile staged and merged, a scalar copy of a
/// transposed B) that was 70 % of these products' time; here op(B) is copied once into
/// rows of whole vectors, op(A) is broadcast where it lies, and each row of C gets at most
/// two vector accumulators.
enum SmallGemm {
    /// The widest op(B) this path takes: two vectors (32 columns on AVX-512, 16 on AVX2).
    static var maximumColumns: Int { 2 * WideVector.scalarCount }

    /// Whether the product goes this way: a single vector of columns at any height (the
    /// packed path's narrow kernel stages every tile), or two vectors when few rows share
    /// the packing of B.
    static func handles(m: Int, n: Int) -> Bool {
        n <= WideVector.scalarCount || (n <= maximumColumns && m <= 32)
    }

    /// `C = op(A)·op(B) (+ C)`, a depth block of at most `PackedGemm.blockDepth` at a time,
    /// with `scratch` holding at least `blockDepth × maximumColumns` floats (what
    /// `PackedGemm.scratchCount` sizes for one packed block of B).
    static func multiply(
        opA: StridedOperand, opB: StridedOperand, m: Int, n: Int, k: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, scratch: UnsafeMutablePointer<Float>
    ) {
        let width = WideVector.scalarCount
        let vectors = n <= width ? 1 : 2
        let rowWidth = vectors * width
        let groupRows = vectors == 1 ? 8 : microRows
        let depthBlock = PackedGemm.evenBlock(k, limit: PackedGemm.blockDepth, multiple: 1)
        for depthStart in stride(from: 0, to: k, by: depthBlock) {
            let depth = min(depthBlock, k - depthStart)
            let addToC = accumulate || depthStart > 0
            let a = StridedOperand(
                opA.address(row: 0, column: depthStart), rowStride: opA.rowStride, columnStride: opA.columnStride)
            let b = StridedOperand(
                opB.address(row: depthStart, column: 0), rowStride: opB.rowStride, columnStride: opB.columnStride)
            pack(b, depth: depth, columns: n, rowWidth: rowWidth, into: scratch)
            for rowStart in stride(from: 0, to: m, by: groupRows) {
                let rows = min(groupRows, m - rowStart)
                if vectors == 1 {
                    oneVectorRows(
                        a, rowStart: rowStart, rows: rows, depth: depth, b: scratch, columns: n,
                        c: c + rowStart * ldc, ldc: ldc, accumulate: addToC)
                } else {
                    twoVectorRows(
                        a, rowStart: rowStart, rows: rows, depth: depth, b: scratch, columns: n,
                        c: c + rowStart * ldc, ldc: ldc, accumulate: addToC)
                }
            }
        }
    }

    /// op(B) as `depth` rows of `rowWidth` floats, zero beyond `columns`.
    private static func pack(
        _ operand: StridedOperand, depth: Int, columns: Int, rowWidth: Int, into rows: UnsafeMutablePointer<Float>
    ) {
        if operand.columnStride == 1 {
            for p in 0..<depth {
                let row = rows + p * rowWidth
                if columns < rowWidth { zeroRow(row, width: rowWidth) }
                PackedGemm.copyFloats(operand.address(row: p, column: 0), to: row, count: columns)
            }
            return
        }
        // Transposed B, whose columns are contiguous in depth: 4 × 4 blocks, then the last
        // columns one by one.
        if columns < rowWidth { for p in 0..<depth { zeroRow(rows + p * rowWidth, width: rowWidth) } }
        let blocked = columns & ~3
        PackedGemm.packTransposedPanel(
            operand.base, columnStride: operand.columnStride, depth: depth, columns: blocked, width: rowWidth,
            into: rows)
        for column in blocked..<columns {
            let source = operand.address(row: 0, column: column)
            let step = operand.rowStride
            for p in 0..<depth { rows[p * rowWidth + column] = source[p * step] }
        }
    }

    /// Vector stores of zeros: `update(repeating:count:)` called memset for the two or three
    /// floats of padding.
    @inline(__always)
    private static func zeroRow(_ row: UnsafeMutablePointer<Float>, width: Int) {
        for offset in stride(from: 0, to: width, by: WideVector.scalarCount) {
            UnsafeMutableRawPointer(row + offset).storeBytes(of: WideVector(), as: WideVector.self)
        }
    }

    /// Up to eight rows of C one vector wide (eight accumulators, the FMA latency's worth).
    /// Rows past `rows` repeat the last row's arithmetic and are not stored, so the loop has
    /// no row count in it.
    @inline(__always)
    private static func oneVectorRows(
        _ a: StridedOperand, rowStart: Int, rows: Int, depth: Int, b: UnsafePointer<Float>, columns: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        let r = TileRows({ a.address(row: $0, column: 0) }, start: rowStart, rows: rows)
        let step = a.columnStride
        var c0 = WideVector(), c1 = WideVector(), c2 = WideVector(), c3 = WideVector()
        var c4 = WideVector(), c5 = WideVector(), c6 = WideVector(), c7 = WideVector()
        var bRow = UnsafeRawPointer(b)
        let bStride = WideVector.scalarCount * MemoryLayout<Float>.stride
        var offset = 0
        for _ in 0..<depth {
            let b0 = bRow.loadUnaligned(as: WideVector.self)
            c0 = multiplyAdd(c0, WideVector(repeating: r.r0[offset]), b0)
            c1 = multiplyAdd(c1, WideVector(repeating: r.r1[offset]), b0)
            c2 = multiplyAdd(c2, WideVector(repeating: r.r2[offset]), b0)
            c3 = multiplyAdd(c3, WideVector(repeating: r.r3[offset]), b0)
            c4 = multiplyAdd(c4, WideVector(repeating: r.r4[offset]), b0)
            c5 = multiplyAdd(c5, WideVector(repeating: r.r5[offset]), b0)
            c6 = multiplyAdd(c6, WideVector(repeating: r.r6[offset]), b0)
            c7 = multiplyAdd(c7, WideVector(repeating: r.r7[offset]), b0)
            offset &+= step
            bRow += bStride
        }
        // Stored one by one, not from an array of the sums, which would allocate per call.
        storePrefix(c0, count: columns, to: c, accumulate: accumulate)
        if rows > 1 { storePrefix(c1, count: columns, to: c + ldc, accumulate: accumulate) }
        if rows > 2 { storePrefix(c2, count: columns, to: c + 2 * ldc, accumulate: accumulate) }
        if rows > 3 { storePrefix(c3, count: columns, to: c + 3 * ldc, accumulate: accumulate) }
        if rows > 4 { storePrefix(c4, count: columns, to: c + 4 * ldc, accumulate: accumulate) }
        if rows > 5 { storePrefix(c5, count: columns, to: c + 5 * ldc, accumulate: accumulate) }
        if rows > 6 { storePrefix(c6, count: columns, to: c + 6 * ldc, accumulate: accumulate) }
        if rows > 7 { storePrefix(c7, count: columns, to: c + 7 * ldc, accumulate: accumulate) }
    }

    /// Up to `microRows` rows of C two vectors wide: the micro-kernel's sums (16 accumulators
    /// on AVX-512, 12 on AVX2) over rows read in place, as `oneVectorRows`, partly stored.
    @inline(__always)
    private static func twoVectorRows(
        _ a: StridedOperand, rowStart: Int, rows: Int, depth: Int, b: UnsafePointer<Float>, columns: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        let sums = tileSums(
            WideVector.self, depth: depth,
            rows: TileRows({ a.address(row: $0, column: 0) }, start: rowStart, rows: rows),
            depthStride: a.columnStride, b: b)
        let width = WideVector.scalarCount
        for row in 0..<min(rows, microRows) {
            let (left, right) = sums.row(row)
            storeWhole(left, to: c + row * ldc, accumulate: accumulate)
            storePrefix(right, count: columns - width, to: c + row * ldc + width, accumulate: accumulate)
        }
    }
}

// A vector's first lanes stored by halves, down to single lanes, all with constant lane
// numbers: reading lanes back from a spilled copy stalled on store forwarding, and
// `vector[lane]` with a variable lane spilled the whole vector at every lane (N = 14 ran at
// a third of N = 16's speed).

@inline(__always)
private func storeWhole<V: SIMD>(_ v: V, to target: UnsafeMutablePointer<Float>, accumulate: Bool)
where V.Scalar == Float {
    let raw = UnsafeMutableRawPointer(target)
    raw.storeBytes(of: accumulate ? v + raw.loadUnaligned(as: V.self) : v, as: V.self)
}

@inline(__always)
private func storePrefix(_ v: SIMD16<Float>, count: Int, to target: UnsafeMutablePointer<Float>, accumulate: Bool) {
    if count >= 16 { return storeWhole(v, to: target, accumulate: accumulate) }
    if count >= 8 {
        storeWhole(v.lowHalf, to: target, accumulate: accumulate)
        storePrefix(v.highHalf, count: count - 8, to: target + 8, accumulate: accumulate)
    } else {
        storePrefix(v.lowHalf, count: count, to: target, accumulate: accumulate)
    }
}

@inline(__always)
private func storePrefix(_ v: SIMD8<Float>, count: Int, to target: UnsafeMutablePointer<Float>, accumulate: Bool) {
    if count >= 8 { return storeWhole(v, to: target, accumulate: accumulate) }
    if count >= 4 {
        storeWhole(v.lowHalf, to: target, accumulate: accumulate)
        storePrefix(v.highHalf, count: count - 4, to: target + 4, accumulate: accumulate)
    } else {
        storePrefix(v.lowHalf, count: count, to: target, accumulate: accumulate)
    }
}

@inline(__always)
private func storePrefix(_ v: SIMD4<Float>, count: Int, to target: UnsafeMutablePointer<Float>, accumulate: Bool) {
    if count >= 4 { return storeWhole(v, to: target, accumulate: accumulate) }
    if count >= 2 {
        storeWhole(v.lowHalf, to: target, accumulate: accumulate)
        if count == 3 { target[2] = accumulate ? target[2] + v[2] : v[2] }
    } else if count == 1 {
        target[0] = accumulate ? target[0] + v[0] : v[0]
    }
}
