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
        // Transposed B: each column is contiguous in depth, so read column by column.
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

    /// Up to eight rows of C one vector wide (eight accumulators, the FMA latency's worth). Rows past `rows` repeat the last row's
    /// arithmetic and are not stored, so the loop has no row count in it.
    @inline(__always)
    private static func oneVectorRows(
        _ a: StridedOperand, rowStart: Int, rows: Int, depth: Int, b: UnsafePointer<Float>, columns: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        let last = rows - 1
        let a0 = a.address(row: rowStart, column: 0), a1 = a.address(row: rowStart + min(1, last), column: 0)
        let a2 = a.address(row: rowStart + min(2, last), column: 0)
        let a3 = a.address(row: rowStart + min(3, last), column: 0)
        let a4 = a.address(row: rowStart + min(4, last), column: 0)
        let a5 = a.address(row: rowStart + min(5, last), column: 0)
        let a6 = a.address(row: rowStart + min(6, last), column: 0)
        let a7 = a.address(row: rowStart + min(7, last), column: 0)
        let step = a.columnStride
        var c0 = WideVector(), c1 = WideVector(), c2 = WideVector(), c3 = WideVector()
        var c4 = WideVector(), c5 = WideVector(), c6 = WideVector(), c7 = WideVector()
        var bRow = UnsafeRawPointer(b)
        let bStride = WideVector.scalarCount * MemoryLayout<Float>.stride
        var offset = 0
        for _ in 0..<depth {
            let b0 = bRow.loadUnaligned(as: WideVector.self)
            c0 = multiplyAdd(c0, WideVector(repeating: a0[offset]), b0)
            c1 = multiplyAdd(c1, WideVector(repeating: a1[offset]), b0)
            c2 = multiplyAdd(c2, WideVector(repeating: a2[offset]), b0)
            c3 = multiplyAdd(c3, WideVector(repeating: a3[offset]), b0)
            c4 = multiplyAdd(c4, WideVector(repeating: a4[offset]), b0)
            c5 = multiplyAdd(c5, WideVector(repeating: a5[offset]), b0)
            c6 = multiplyAdd(c6, WideVector(repeating: a6[offset]), b0)
            c7 = multiplyAdd(c7, WideVector(repeating: a7[offset]), b0)
            offset &+= step
            bRow += bStride
        }
        // Stored one by one, not from an array of the sums, which would allocate per call.
        store(c0, to: c, count: columns, accumulate: accumulate)
        if rows > 1 { store(c1, to: c + ldc, count: columns, accumulate: accumulate) }
        if rows > 2 { store(c2, to: c + 2 * ldc, count: columns, accumulate: accumulate) }
        if rows > 3 { store(c3, to: c + 3 * ldc, count: columns, accumulate: accumulate) }
        if rows > 4 { store(c4, to: c + 4 * ldc, count: columns, accumulate: accumulate) }
        if rows > 5 { store(c5, to: c + 5 * ldc, count: columns, accumulate: accumulate) }
        if rows > 6 { store(c6, to: c + 6 * ldc, count: columns, accumulate: accumulate) }
        if rows > 7 { store(c7, to: c + 7 * ldc, count: columns, accumulate: accumulate) }
    }

    /// Up to `microRows` rows of C two vectors wide (the micro-kernel's registers: 16
    /// accumulators on AVX-512, 12 on AVX2), as `oneVectorRows`.
    @inline(__always)
    private static func twoVectorRows(
        _ a: StridedOperand, rowStart: Int, rows: Int, depth: Int, b: UnsafePointer<Float>, columns: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        let last = rows - 1
        let a0 = a.address(row: rowStart, column: 0), a1 = a.address(row: rowStart + min(1, last), column: 0)
        let a2 = a.address(row: rowStart + min(2, last), column: 0)
        let a3 = a.address(row: rowStart + min(3, last), column: 0)
        let a4 = a.address(row: rowStart + min(4, last), column: 0)
        let a5 = a.address(row: rowStart + min(5, last), column: 0)
        let a6 = a.address(row: rowStart + min(6, last), column: 0)
        let a7 = a.address(row: rowStart + min(7, last), column: 0)
        let eightRows = microRows == 8  // a constant per module: the unused rows fold away
        let step = a.columnStride
        var c00 = WideVector(), c01 = WideVector(), c10 = WideVector(), c11 = WideVector()
        var c20 = WideVector(), c21 = WideVector(), c30 = WideVector(), c31 = WideVector()
        var c40 = WideVector(), c41 = WideVector(), c50 = WideVector(), c51 = WideVector()
        var c60 = WideVector(), c61 = WideVector(), c70 = WideVector(), c71 = WideVector()
        var bRow = UnsafeRawPointer(b)
        let width = WideVector.scalarCount
        let bStride = 2 * width * MemoryLayout<Float>.stride
        var offset = 0
        for _ in 0..<depth {
            let b0 = bRow.loadUnaligned(as: WideVector.self)
            let b1 = bRow.loadUnaligned(fromByteOffset: width * MemoryLayout<Float>.stride, as: WideVector.self)
            var broadcast = WideVector(repeating: a0[offset])
            c00 = multiplyAdd(c00, broadcast, b0); c01 = multiplyAdd(c01, broadcast, b1)
            broadcast = WideVector(repeating: a1[offset])
            c10 = multiplyAdd(c10, broadcast, b0); c11 = multiplyAdd(c11, broadcast, b1)
            broadcast = WideVector(repeating: a2[offset])
            c20 = multiplyAdd(c20, broadcast, b0); c21 = multiplyAdd(c21, broadcast, b1)
            broadcast = WideVector(repeating: a3[offset])
            c30 = multiplyAdd(c30, broadcast, b0); c31 = multiplyAdd(c31, broadcast, b1)
            broadcast = WideVector(repeating: a4[offset])
            c40 = multiplyAdd(c40, broadcast, b0); c41 = multiplyAdd(c41, broadcast, b1)
            broadcast = WideVector(repeating: a5[offset])
            c50 = multiplyAdd(c50, broadcast, b0); c51 = multiplyAdd(c51, broadcast, b1)
            if eightRows {
                broadcast = WideVector(repeating: a6[offset])
                c60 = multiplyAdd(c60, broadcast, b0); c61 = multiplyAdd(c61, broadcast, b1)
                broadcast = WideVector(repeating: a7[offset])
                c70 = multiplyAdd(c70, broadcast, b0); c71 = multiplyAdd(c71, broadcast, b1)
            }
            offset &+= step
            bRow += bStride
        }
        let rest = columns - width
        store(c00, c01, to: c, width: width, rest: rest, accumulate: accumulate)
        if rows > 1 { store(c10, c11, to: c + ldc, width: width, rest: rest, accumulate: accumulate) }
        if rows > 2 { store(c20, c21, to: c + 2 * ldc, width: width, rest: rest, accumulate: accumulate) }
        if rows > 3 { store(c30, c31, to: c + 3 * ldc, width: width, rest: rest, accumulate: accumulate) }
        if rows > 4 { store(c40, c41, to: c + 4 * ldc, width: width, rest: rest, accumulate: accumulate) }
        if rows > 5 { store(c50, c51, to: c + 5 * ldc, width: width, rest: rest, accumulate: accumulate) }
        if rows > 6 { store(c60, c61, to: c + 6 * ldc, width: width, rest: rest, accumulate: accumulate) }
        if rows > 7 { store(c70, c71, to: c + 7 * ldc, width: width, rest: rest, accumulate: accumulate) }
    }

    /// Stores (or adds) a row of two vectors, the second's first `rest` lanes.
    @inline(__always)
    private static func store(
        _ left: WideVector, _ right: WideVector, to target: UnsafeMutablePointer<Float>, width: Int, rest: Int,
        accumulate: Bool
    ) {
        storeWhole(left, to: target, accumulate: accumulate)
        storePrefix(right, count: rest, to: target + width, accumulate: accumulate)
    }

    /// Stores (or adds) the first `count` lanes of `sum`.
    @inline(__always)
    private static func store(_ sum: WideVector, to target: UnsafeMutablePointer<Float>, count: Int, accumulate: Bool) {
        storePrefix(sum, count: count, to: target, accumulate: accumulate)
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
