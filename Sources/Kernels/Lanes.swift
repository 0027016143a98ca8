/// Loops 16 lanes at a time (one AVX-512 register, two AVX2 ones): the one SIMD helper set
/// of the project. The compiler keeps a plain Float loop scalar (it cannot rule out aliasing,
/// a Float sum's order is fixed by the language, and data-dependent selects become
/// mispredicted branches). The last chunk of a row may be narrower: `w` lanes are loaded,
/// stored and summed, the rest are zeros and ignored.
public enum Lanes {
    public typealias Vector = SIMD16<Float>
    public static let width = Vector.scalarCount

    @inlinable @inline(__always)
    public static func load(_ pointer: UnsafePointer<Float>, _ w: Int) -> Vector {
        if w == width { return UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self) }
        var vector = Vector()
        for lane in 0..<w { vector[lane] = pointer[lane] }
        return vector
    }

    @inlinable @inline(__always)
    public static func load(_ pointer: UnsafeMutablePointer<Float>, _ w: Int) -> Vector {
        load(UnsafePointer(pointer), w)
    }

    @inlinable @inline(__always)
    public static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>, _ w: Int) {
        if w == width { UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self); return }
        for lane in 0..<w { pointer[lane] = value[lane] }
    }

    /// Σ of the first `count` lanes `body(f, w)` yields for chunks f = 0, 16, … of w lanes.
    @inlinable @inline(__always)
    public static func sum(_ count: Int, _ body: (Int, Int) -> Vector) -> Float {
        var total = Vector()
        forEach(count) { f, w in total += masked(body(f, w), w) }
        return total.sum()
    }

    /// `value` with lanes from `w` on set to zero.
    @inlinable @inline(__always)
    public static func masked(_ value: Vector, _ w: Int) -> Vector {
        w == width ? value : value.replacing(with: 0, where: laneIndices .>= SIMD16<Int32>(repeating: Int32(w)))
    }

    @inlinable @inline(__always)
    public static func forEach(_ count: Int, _ body: (Int, Int) -> Void) {
        var f = 0
        while f + width <= count {
            body(f, width)
            f += width
        }
        if f < count { body(f, count - f) }
    }

    @usableFromInline static let laneIndices = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
}
