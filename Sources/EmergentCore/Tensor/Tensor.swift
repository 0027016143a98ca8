/// A Float32 tensor: a shape and its elements in one contiguous row-major array.
///
/// A value type with copy-on-write storage: layers hand tensors around freely, and a copy is
/// made only when a shared tensor is written. Raw pointers are lent only inside
/// `withUnsafe…` scopes, so the storage outlives every pointer into it.
public struct Tensor: Sendable, Equatable {
    public private(set) var shape: [Int]
    public var scalars: [Float]

    /// A tensor of `shape` holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(
            Self.elementCount(shape) == scalars.count,
            "shape \(shape) needs \(Self.elementCount(shape)) elements, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.init(shape: shape, scalars: Array(repeating: value, count: Self.elementCount(shape)))
    }

    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape) }

    public var count: Int { scalars.count }
    public var rank: Int { shape.count }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// The element at a multi-dimensional index.
    public subscript(_ indices: Int...) -> Float {
        get { scalars[offset(of: indices)] }
        set { scalars[offset(of: indices)] = newValue }
    }

    /// Row-major offset of a full index.
    public func offset(of indices: [Int]) -> Int {
        precondition(indices.count == rank, "index \(indices) has rank \(indices.count), tensor has rank \(rank)")
        var offset = 0
        for (index, dimension) in zip(indices, shape) {
            precondition(index >= 0 && index < dimension, "index \(indices) out of bounds for shape \(shape)")
            offset = offset * dimension + index
        }
        return offset
    }

    static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(\(shape), [\(shown)\(count > 8 ? ", …" : "")])"
    }
}

extension Tensor {
    /// A tensor whose elements the caller overwrites before reading: skips zero-filling,
    /// which costs as much as a small layer's arithmetic.
    public init(uninitialized shape: [Int]) {
        let count = Self.elementCount(shape)
        self.init(
            shape: shape,
            scalars: [Float](unsafeUninitializedCapacity: count) { _, initialized in
                initialized = count
            })
    }
}
