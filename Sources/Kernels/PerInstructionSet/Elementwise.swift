// Shared source: compiled once per instruction set (see MicroKernel.swift).

/// Elementwise loops in the instruction set's widest vectors, then lane by lane. In the
/// baseline module's 4-lane vectors a CNN step spent 13 % here (ReLU both ways and the
/// col2im add); `VectorMath` picks this CPU's family.
public enum Elementwise {
    /// y = x where x is not negative, else 0 (a NaN stays NaN).
    public static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let whole = count / WideVector.scalarCount * WideVector.scalarCount
        for i in stride(from: 0, to: whole, by: WideVector.scalarCount) {
            let v = load(x + i)
            store(v.replacing(with: 0, where: v .< 0), y + i)
        }
        for i in whole..<count { y[i] = x[i] < 0 ? 0 : x[i] }
    }

    /// dx = dy where x > 0, else 0.
    public static func reluBackward(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int
    ) {
        let whole = count / WideVector.scalarCount * WideVector.scalarCount
        for i in stride(from: 0, to: whole, by: WideVector.scalarCount) {
            store(load(dy + i).replacing(with: 0, where: .!(load(x + i) .> 0)), dx + i)
        }
        for i in whole..<count { dx[i] = x[i] > 0 ? dy[i] : 0 }
    }

    /// y += x.
    public static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        let whole = count / WideVector.scalarCount * WideVector.scalarCount
        for i in stride(from: 0, to: whole, by: WideVector.scalarCount) {
            store(load(y + i) + load(x + i), y + i)
        }
        for i in whole..<count { y[i] += x[i] }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> WideVector {
        UnsafeRawPointer(pointer).loadUnaligned(as: WideVector.self)
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeMutablePointer<Float>) -> WideVector {
        load(UnsafePointer(pointer))
    }

    @inline(__always)
    private static func store(_ value: WideVector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: WideVector.self)
    }
}
