/// Elementwise arithmetic. Shapes must match exactly: broadcasting would hide the shape
/// bugs that explicit backward passes are prone to; the few broadcasts layers need (a bias
/// over rows) are named operations.
extension Tensor {
    public func map(_ transform: (Float) -> Float) -> Tensor {
        Tensor(shape: shape, scalars: scalars.map(transform))
    }

    /// Combines two tensors of the same shape element by element.
    public func zipMap(_ other: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
        precondition(shape == other.shape, "shape mismatch: \(shape) vs \(other.shape)")
        var result = scalars
        result.withUnsafeMutableBufferPointer { result in
            other.scalars.withUnsafeBufferPointer { other in
                for index in result.indices { result[index] = combine(result[index], other[index]) }
            }
        }
        return Tensor(shape: shape, scalars: result)
    }

    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipMap(rhs, +) }
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipMap(rhs, -) }
    /// The elementwise (Hadamard) product.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipMap(rhs, *) }
    public static func * (scale: Float, tensor: Tensor) -> Tensor { tensor.map { scale * $0 } }

    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs.add(rhs) }

    /// `self += scale · other` in place (the optimizer's axpy).
    public mutating func add(_ other: Tensor, scaledBy scale: Float = 1) {
        precondition(shape == other.shape, "shape mismatch: \(shape) vs \(other.shape)")
        scalars.withUnsafeMutableBufferPointer { target in
            other.scalars.withUnsafeBufferPointer { source in
                for index in target.indices { target[index] += scale * source[index] }
            }
        }
    }

    /// Multiplies every element by `scale` in place.
    public mutating func scale(by scale: Float) {
        scalars.withUnsafeMutableBufferPointer { target in
            for index in target.indices { target[index] *= scale }
        }
    }

    /// Adds `row` (shape [columns]) to every row of a [rows, columns] tensor: a bias.
    public mutating func addToEachRow(_ row: Tensor) {
        precondition(rank == 2 && row.shape == [shape[1]], "cannot add \(row.shape) to each row of \(shape)")
        let columns = shape[1]
        scalars.withUnsafeMutableBufferPointer { target in
            row.scalars.withUnsafeBufferPointer { row in
                for start in stride(from: 0, to: target.count, by: columns) {
                    for column in 0..<columns { target[start + column] += row[column] }
                }
            }
        }
    }

    /// The transpose of a matrix.
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed() needs a matrix, got shape \(shape)")
        let rows = shape[0], columns = shape[1]
        var result = [Float](repeating: 0, count: count)
        for row in 0..<rows {
            for column in 0..<columns { result[column * rows + row] = scalars[row * columns + column] }
        }
        return Tensor(shape: [columns, rows], scalars: result)
    }
}
