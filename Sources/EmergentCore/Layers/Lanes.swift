/// Row loops 16 lanes at a time (one AVX-512 register, two AVX2 ones). Reductions kept in
/// lanes vectorize where a plain Float sum cannot (its order is fixed by the language),
/// which made LayerNorm 10 % of a transformer step. The last chunk of a row may be
/// narrower: `w` lanes are loaded, stored and summed, the rest are zeros and ignored.
enum Lanes {
    typealias Vector = SIMD16<Float>
    static let width = Vector.scalarCount

    @inline(__always) static func load(_ pointer: UnsafePointer<Float>, _ w: Int) -> Vector {
        if w == width { return UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self) }
        var vector = Vector()
        for lane in 0..<w { vector[lane] = pointer[lane] }
        return vector
    }

    @inline(__always) static func load(_ pointer: UnsafeMutablePointer<Float>, _ w: Int) -> Vector { load(UnsafePointer(pointer), w) }

    @inline(__always) static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>, _ w: Int) {
        if w == width { UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self); return }
        for lane in 0..<w { pointer[lane] = value[lane] }
    }

    /// Σ of the first `count` lanes `body(f, w)` yields for chunks f = 0, 16, … of w lanes.
    @inline(__always) static func sum(_ count: Int, _ body: (Int, Int) -> Vector) -> Float {
        var total = Vector()
        forEach(count) { f, w in
            let value = body(f, w)
            total += w == width ? value : value.replacing(with: 0, where: Self.lanes .>= SIMD16<Int32>(repeating: Int32(w)))
        }
        return total.sum()
    }

    @inline(__always) static func forEach(_ count: Int, _ body: (Int, Int) -> Void) {
        var f = 0
        while f + width <= count {
            body(f, width)
            f += width
        }
        if f < count { body(f, count - f) }
    }

    private static let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
}
