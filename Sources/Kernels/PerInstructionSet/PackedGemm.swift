// Shared source: compiled once per instruction set (see MicroKernel.swift).

/// A row-major matrix operand read through strides, so that a transposed operand is the
/// same matrix with its strides swapped and packing needs no transpose-specific code
/// beyond choosing the contiguous loop order.
struct StridedOperand {
    let base: UnsafePointer<Float>
    let rowStride: Int
    let columnStride: Int

    init(_ base: UnsafePointer<Float>, rowStride: Int, columnStride: Int) {
        self.base = base
        self.rowStride = rowStride
        self.columnStride = columnStride
    }

    init(_ base: UnsafePointer<Float>, leadingDimension: Int, transposed: Bool) {
        self.base = base
        rowStride = transposed ? 1 : leadingDimension
        columnStride = transposed ? leadingDimension : 1
    }

    @inline(__always)
    func address(row: Int, column: Int) -> UnsafePointer<Float> {
        base + row * rowStride + column * columnStride
    }
}

/// `C = op(A)·op(B) (+ C)` for row-major Float32 matrices, blocked for the caches in the
/// Goto/BLIS way: a `depth × columns` block of op(B) is packed into micro-panels that stay
/// in L1 while a `rows × depth` block of op(A), read where it lies, streams past them.
public enum PackedGemm {
    /// Columns of one wide micro-panel of op(B).
    public static var wideColumns: Int { 2 * WideVector.scalarCount }
    static var narrowColumns: Int { 2 * NarrowVector.scalarCount }

    /// Rows of op(A) that pass one packed B block before the next column panel (a multiple of
    /// the micro-kernel's rows), for a core with `level2Bytes` of L2: the rows × depth block
    /// of A is read once per column panel, so it should fill about half of L2 (the B panels
    /// and C take the rest), and no fewer than 20 micro-rows, each B panel's reuse from L1.
    public static func blockRows(level2Bytes: Int) -> Int {
        let rows = level2Bytes / 2 / (blockDepth * MemoryLayout<Float>.stride)
        return min(max(rows / microRows, 20), 64) * microRows
    }
    /// Largest depth of one packed block; 256 keeps a wide B panel (32 KiB) in L1.
    static let blockDepth = 256
    /// Largest block of op(B) columns packed at once (4 MiB at full depth).
    static let blockColumns = 4096

    /// Floats of scratch memory `multiply` needs for this problem size (with room for a
    /// packed block of A whenever either layout would pack it).
    public static func scratchCount(m: Int, n: Int, k: Int) -> Int {
        let depth = evenBlock(k, limit: blockDepth, multiple: 1)
        let columns = roundUp(min(n, blockColumns), to: wideColumns)
        let packedRows = packsA(transposed: true, m: m, n: n) ? roundUp(min(m, maximumBlockRows), to: microRows) : 0
        return microRows * depth + depth * columns + microRows * wideColumns + packedRows * depth
    }

    /// The most rows `blockRows(level2Bytes:)` gives.
    static var maximumBlockRows: Int { 64 * microRows }

    /// Whether op(A) is packed rather than read in place. A transposed A read in place steps
    /// `lda` floats at each depth, so with 256 rows or more a micro-panel spans a page per
    /// step or more and the kernel waits on TLB and cache-set misses: packing its row block
    /// once turned TN 1024³ from 0.86 to 0.97–1.01 of OpenBLAS and TN 512×1792×128 from
    /// 0.78–0.86 to 1.06 on AVX-512 (0.75–0.87 to 0.98–1.06 at 1024³ on AVX2). With fewer
    /// rows, or fewer than four column panels to share the copy, packing only costs (TN
    /// 128×256×10 fell from 0.90 to 0.36–0.46 on AVX2); an untransposed A reads rows
    /// contiguously and gained nothing measurable.
    static func packsA(transposed: Bool, m: Int, n: Int) -> Bool {
        transposed && m >= 256 && n >= 4 * wideColumns
    }

    /// Computes `C = op(A)·op(B)`, or adds it to C when `accumulate` is set. op(A) is M×K,
    /// op(B) is K×N; leading dimensions are row strides of the stored (untransposed)
    /// matrices. `scratch` must hold `scratchCount(m:n:k:)` floats; `blockRows` comes from
    /// `blockRows(level2Bytes:)`.
    public static func multiply(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
        scratch: UnsafeMutablePointer<Float>, blockRows: Int
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            if !accumulate { for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) } }
            return
        }
        let opA = StridedOperand(a, leadingDimension: lda, transposed: transposeA)
        let opB = StridedOperand(b, leadingDimension: ldb, transposed: transposeB)
        // Narrow products skip the panels: staging every tile cost more than the arithmetic.
        if SmallGemm.handles(m: m, n: n) {
            SmallGemm.multiply(
                opA: opA, opB: opB, m: m, n: n, k: k, c: c, ldc: ldc, accumulate: accumulate, scratch: scratch)
            return
        }
        let depthBlock = evenBlock(k, limit: blockDepth, multiple: 1)
        let rowBlock = evenBlock(m, limit: blockRows, multiple: microRows)
        let edgePanel = scratch
        let packedB = scratch + microRows * depthBlock
        let tile = packedB + depthBlock * roundUp(min(n, blockColumns), to: wideColumns)
        let packedA = packsA(transposed: transposeA, m: m, n: n) ? tile + microRows * wideColumns : nil

        for columnStart in stride(from: 0, to: n, by: blockColumns) {
            let columns = min(blockColumns, n - columnStart)
            for depthStart in stride(from: 0, to: k, by: depthBlock) {
                let depth = min(depthBlock, k - depthStart)
                let addToC = accumulate || depthStart > 0
                packPanels(
                    of: opB, depthStart: depthStart, depth: depth,
                    columnStart: columnStart, columns: columns, into: packedB)
                for rowStart in stride(from: 0, to: m, by: rowBlock) {
                    let rows = min(rowBlock, m - rowStart)
                    if let packedA {
                        packBlock(
                            of: opA, rowStart: rowStart, rows: rows, depthStart: depthStart, depth: depth,
                            into: packedA)
                    }
                    for panelColumn in stride(from: 0, to: columns, by: wideColumns) {
                        let width = min(wideColumns, columns - panelColumn)
                        let kernelWidth = width <= narrowColumns ? narrowColumns : wideColumns
                        let bPanel = packedB + panelColumn * depth
                        for panelRow in stride(from: 0, to: rows, by: microRows) {
                            let height = min(microRows, rows - panelRow)
                            let aPanel: (UnsafePointer<Float>, rowStride: Int, depthStride: Int)
                            // Unless `packsA` packed its row block, op(A) is read where it lies,
                            // untransposed (rows contiguous in depth) or transposed (rows side by
                            // side at each depth): packing every panel for every column panel was
                            // pure cost (7 % at 512³, 12 % at 128×256×256). Only a last panel of
                            // fewer rows is copied, zero-padded, so the kernel never needs a row count.
                            if let packedA {
                                aPanel = (UnsafePointer(packedA + panelRow * depth), 1, microRows)
                            } else if height == microRows {
                                aPanel = (
                                    opA.address(row: rowStart + panelRow, column: depthStart),
                                    opA.rowStride, opA.columnStride
                                )
                            } else {
                                packBlock(
                                    of: opA, rowStart: rowStart + panelRow, rows: height,
                                    depthStart: depthStart, depth: depth, into: edgePanel)
                                aPanel = (UnsafePointer(edgePanel), 1, microRows)
                            }
                            let cTile = c + (rowStart + panelRow) * ldc + columnStart + panelColumn
                            let kernel = kernelWidth == wideColumns ? wideMicroKernel : narrowMicroKernel
                            if height == microRows && width == kernelWidth {
                                kernel(
                                    depth, aPanel.0, aPanel.rowStride, aPanel.depthStride,
                                    bPanel, cTile, ldc, addToC)
                            } else {
                                kernel(
                                    depth, aPanel.0, aPanel.rowStride, aPanel.depthStride,
                                    bPanel, tile, kernelWidth, false)
                                mergeTile(
                                    tile, tileStride: kernelWidth, rows: height, columns: width,
                                    into: cTile, ldc: ldc, accumulate: addToC)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Copies a panel row (8 to 32 floats) inline: a libc memmove call per row cost more than
    /// the copy itself, 12 % of a transformer step in packing alone.
    @inline(__always)
    static func copyFloats(_ source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            UnsafeMutableRawPointer(target + i).storeBytes(
                of: UnsafeRawPointer(source + i).loadUnaligned(as: SIMD16<Float>.self),
                as: SIMD16<Float>.self)
            i += 16
        }
        while i + 4 <= count {
            UnsafeMutableRawPointer(target + i).storeBytes(
                of: UnsafeRawPointer(source + i).loadUnaligned(as: SIMD4<Float>.self),
                as: SIMD4<Float>.self)
            i += 4
        }
        while i < count {
            target[i] = source[i]
            i += 1
        }
    }

    /// Packs `rows` rows of op(A) into micro-panels of `microRows` rows, depth-major within a
    /// panel, zero-padding the last panel so the kernel never needs a row count.
    static func packBlock(
        of operand: StridedOperand, rowStart: Int, rows: Int, depthStart: Int, depth: Int,
        into destination: UnsafeMutablePointer<Float>
    ) {
        for panelRow in stride(from: 0, to: rows, by: microRows) {
            let panel = destination + panelRow * depth
            let height = min(microRows, rows - panelRow)
            if operand.rowStride == 1 {  // transposed A: a panel's rows are contiguous per depth
                for p in 0..<depth {
                    let target = panel + p * microRows
                    copyFloats(
                        operand.address(row: rowStart + panelRow, column: depthStart + p), to: target, count: height)
                    (target + height).update(repeating: 0, count: microRows - height)
                }
                continue
            }
            for row in 0..<microRows {
                if row >= height {
                    for p in 0..<depth { panel[p * microRows + row] = 0 }
                    continue
                }
                let source = operand.address(row: rowStart + panelRow + row, column: depthStart)
                let step = operand.columnStride
                for p in 0..<depth { panel[p * microRows + row] = source[p * step] }
            }
        }
    }

    /// Packs columns of op(B) into micro-panels `wideColumns` wide (the last one narrow when
    /// it fits), each stored row by row and zero-padded to its width.
    static func packPanels(
        of operand: StridedOperand, depthStart: Int, depth: Int, columnStart: Int, columns: Int,
        into destination: UnsafeMutablePointer<Float>
    ) {
        for panelColumn in stride(from: 0, to: columns, by: wideColumns) {
            let width = min(wideColumns, columns - panelColumn)
            let panelWidth = width <= narrowColumns ? narrowColumns : wideColumns
            let panel = destination + panelColumn * depth
            if operand.columnStride == 1 {
                for p in 0..<depth {
                    let source = operand.address(row: depthStart + p, column: columnStart + panelColumn)
                    let row = panel + p * panelWidth
                    copyFloats(source, to: row, count: width)
                    (row + width).update(repeating: 0, count: panelWidth - width)
                }
            } else if operand.rowStride == 1 && width == panelWidth {
                packTransposedPanel(
                    operand.address(row: depthStart, column: columnStart + panelColumn),
                    columnStride: operand.columnStride, depth: depth, columns: panelWidth, width: panelWidth,
                    into: panel)
            } else {
                for column in 0..<panelWidth {
                    if column >= width {
                        for p in 0..<depth { panel[p * panelWidth + column] = 0 }
                        continue
                    }
                    let source = operand.address(row: depthStart, column: columnStart + panelColumn + column)
                    let step = operand.rowStride
                    for p in 0..<depth { panel[p * panelWidth + column] = source[p * step] }
                }
            }
        }
    }

    /// Packs `columns` (a multiple of 4) columns of a transposed B, whose columns are
    /// contiguous in depth, into rows `width` floats apart, by 4 × 4 blocks: four vector loads
    /// and four vector stores where element by element was sixteen of each (the scalar copy
    /// was 12 % of an MLP step, in dX = dY·Wᵀ).
    static func packTransposedPanel(
        _ source: UnsafePointer<Float>, columnStride: Int, depth: Int, columns: Int, width: Int,
        into panel: UnsafeMutablePointer<Float>
    ) {
        let wholeDepth = depth & ~3
        for group in stride(from: 0, to: columns, by: 4) {
            let c0 = source + group * columnStride, c1 = c0 + columnStride
            let c2 = c1 + columnStride, c3 = c2 + columnStride
            for p in stride(from: 0, to: wholeDepth, by: 4) {
                let a = UnsafeRawPointer(c0 + p).loadUnaligned(as: SIMD4<Float>.self)
                let b = UnsafeRawPointer(c1 + p).loadUnaligned(as: SIMD4<Float>.self)
                let c = UnsafeRawPointer(c2 + p).loadUnaligned(as: SIMD4<Float>.self)
                let d = UnsafeRawPointer(c3 + p).loadUnaligned(as: SIMD4<Float>.self)
                let target = UnsafeMutableRawPointer(panel + p * width + group)
                let rowBytes = width * MemoryLayout<Float>.stride
                target.storeBytes(of: SIMD4(a[0], b[0], c[0], d[0]), as: SIMD4<Float>.self)
                target.storeBytes(of: SIMD4(a[1], b[1], c[1], d[1]), toByteOffset: rowBytes, as: SIMD4<Float>.self)
                target.storeBytes(
                    of: SIMD4(a[2], b[2], c[2], d[2]), toByteOffset: 2 * rowBytes, as: SIMD4<Float>.self)
                target.storeBytes(
                    of: SIMD4(a[3], b[3], c[3], d[3]), toByteOffset: 3 * rowBytes, as: SIMD4<Float>.self)
            }
            for p in wholeDepth..<depth {
                let target = panel + p * width + group
                target[0] = c0[p]
                target[1] = c1[p]
                target[2] = c2[p]
                target[3] = c3[p]
            }
        }
    }

    /// Copies the valid part of an edge tile into C.
    static func mergeTile(
        _ tile: UnsafeMutablePointer<Float>, tileStride: Int, rows: Int, columns: Int,
        into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        for row in 0..<rows {
            let source = tile + row * tileStride
            let target = c + row * ldc
            if accumulate {
                for column in 0..<columns { target[column] += source[column] }
            } else {
                target.update(from: source, count: columns)
            }
        }
    }

    /// Splits `total` into equal blocks no larger than `limit`, rounded up to `multiple`:
    /// K = 784 becomes four blocks of 196 instead of three of 256 and a stub of 16.
    static func evenBlock(_ total: Int, limit: Int, multiple: Int) -> Int {
        let count = max(1, (total + limit - 1) / limit)
        return min(limit, roundUp((total + count - 1) / count, to: multiple))
    }

    static func roundUp(_ value: Int, to multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }
}
