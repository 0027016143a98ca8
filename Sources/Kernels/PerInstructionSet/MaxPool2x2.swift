// Shared source: compiled once per instruction set (see MicroKernel.swift).

/// 2×2, stride-2 max pooling, a row of outputs at a time in vectors: even and odd columns
/// of both input rows are split by shuffles, and the winner's index travels with the
/// maximum as a select. Element by element it was 6.6 % of a CNN step; the vector
/// widths of the instruction set are what make this worth a module of its own.
public enum MaxPool2x2 {
    /// Pools `planes` planes of `height × width` floats (a last odd row or column is
    /// dropped) into `y`, and writes each output's winning input index, counted from `x`:
    /// the first maximum in the order top-left, top-right, bottom-left, bottom-right.
    public static func forward(
        _ x: UnsafePointer<Float>, planes: Int, height: Int, width: Int,
        into y: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Int32>
    ) {
        let outHeight = height / 2, outWidth = width / 2
        for plane in 0..<planes {
            for oh in 0..<outHeight {
                let top = (plane * height + 2 * oh) * width
                let out = (plane * outHeight + oh) * outWidth
                let row = PoolRow(x: x, top: top, width: width, y: y + out, winners: winners + out)
                // The widest vector the row fills; the last chunk overlaps the one before it
                // and writes the same values again, so no row length needs a scalar tail.
                if outWidth >= 8 {
                    row.pool(outWidth, lanes: 8, row.chunk8)
                } else if outWidth >= 4 {
                    row.pool(outWidth, lanes: 4, row.chunk4)
                } else {
                    for ow in 0..<outWidth { row.poolOne(ow) }
                }
            }
        }
    }
}

/// One output row: input rows `top` and `top + width` (indices from `x`).
private struct PoolRow {
    let x: UnsafePointer<Float>
    let top: Int
    let width: Int
    let y: UnsafeMutablePointer<Float>
    let winners: UnsafeMutablePointer<Int32>

    /// Outputs `0..<count` in chunks of `lanes` starting where `chunk` is told.
    @inline(__always)
    func pool(_ count: Int, lanes: Int, _ chunk: (_ start: Int) -> Void) {
        var ow = 0
        repeat {
            let start = min(ow, count - lanes)
            chunk(start)
            ow = start + lanes
        } while ow < count
    }

    // The chunk bodies are written per vector type: the comparison and select operators of
    // a generic `SIMD` are lane-by-lane loops, and only the concrete types' are vector
    // instructions. The winner's offset in its window is selected in Float lanes, like the
    // maximum, and converted once by `integers`: selecting Int32 lanes with a Float
    // comparison's mask moved the mask lane by lane.

    /// Eight outputs from `start`.
    @inline(__always)
    func chunk8(_ start: Int) {
        let first = top + 2 * start
        let upper = UnsafeRawPointer(x + first).loadUnaligned(as: SIMD16<Float>.self)
        let lower = UnsafeRawPointer(x + first + width).loadUnaligned(as: SIMD16<Float>.self)
        var value = upper.evenHalf
        var offset = SIMD8<Float>()
        func take(_ candidate: SIMD8<Float>, at position: Float) {
            let wins = candidate .> value
            value.replace(with: candidate, where: wins)
            offset.replace(with: position, where: wins)
        }
        take(upper.oddHalf, at: 1)
        take(lower.evenHalf, at: Float(width))
        take(lower.oddHalf, at: Float(width + 1))
        let winner = SIMD8<Int32>(repeating: Int32(first)) &+ SIMD8(0, 2, 4, 6, 8, 10, 12, 14) &+ integers(offset)
        UnsafeMutableRawPointer(y + start).storeBytes(of: value, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(winners + start).storeBytes(of: winner, as: SIMD8<Int32>.self)
    }

    /// Four outputs from `start`.
    @inline(__always)
    func chunk4(_ start: Int) {
        let first = top + 2 * start
        let upper = UnsafeRawPointer(x + first).loadUnaligned(as: SIMD8<Float>.self)
        let lower = UnsafeRawPointer(x + first + width).loadUnaligned(as: SIMD8<Float>.self)
        var value = upper.evenHalf
        var offset = SIMD4<Float>()
        func take(_ candidate: SIMD4<Float>, at position: Float) {
            let wins = candidate .> value
            value.replace(with: candidate, where: wins)
            offset.replace(with: position, where: wins)
        }
        take(upper.oddHalf, at: 1)
        take(lower.evenHalf, at: Float(width))
        take(lower.oddHalf, at: Float(width + 1))
        let winner = SIMD4<Int32>(repeating: Int32(first)) &+ SIMD4(0, 2, 4, 6) &+ integers(offset)
        UnsafeMutableRawPointer(y + start).storeBytes(of: value, as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(winners + start).storeBytes(of: winner, as: SIMD4<Int32>.self)
    }

    /// One output, for rows shorter than the narrowest vector.
    @inline(__always)
    func poolOne(_ ow: Int) {
        let i0 = top + 2 * ow, i2 = i0 + width
        var value = x[i0], winner = i0
        if x[i0 + 1] > value { value = x[i0 + 1]; winner = i0 + 1 }
        if x[i2] > value { value = x[i2]; winner = i2 }
        if x[i2 + 1] > value { value = x[i2 + 1]; winner = i2 + 1 }
        y[ow] = value
        winners[ow] = Int32(winner)
    }
}

// Small non-negative whole floats (below 2²³) as Int32 lanes: added to 2²³ they are that
// float's low mantissa bits. `SIMD8<Int32>(_:rounding:)` converts lane by lane through the
// generic integer path, and took a third of a CNN step.
private let twoToThe23: Float = 8_388_608
@inline(__always) private func integers(_ whole: SIMD8<Float>) -> SIMD8<Int32> {
    unsafeBitCast(whole + twoToThe23, to: SIMD8<Int32>.self) &- Int32(bitPattern: twoToThe23.bitPattern)
}
@inline(__always) private func integers(_ whole: SIMD4<Float>) -> SIMD4<Int32> {
    unsafeBitCast(whole + twoToThe23, to: SIMD4<Int32>.self) &- Int32(bitPattern: twoToThe23.bitPattern)
}
