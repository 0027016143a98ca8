/// Reductions, accumulated in Double: per-layer statistics sum up to millions of elements,
/// where a Float running sum loses its last digits.
extension Tensor {
    public func sum() -> Double {
        scalars.reduce(0) { $0 + Double($1) }
    }

    public func mean() -> Double {
        precondition(count > 0, "mean of an empty tensor")
        return sum() / Double(count)
    }

    /// The population variance (divides by n), computed in two passes for accuracy.
    public func variance() -> Double {
        let mean = mean()
        return scalars.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(count)
    }

    public func squaredNorm() -> Double {
        scalars.reduce(0) { $0 + Double($1) * Double($1) }
    }

    /// The root mean square of the elements.
    public func rms() -> Double {
        precondition(count > 0, "rms of an empty tensor")
        return (squaredNorm() / Double(count)).squareRoot()
    }

    public func min() -> Float? { scalars.min() }
    public func max() -> Float? { scalars.max() }

    /// Column sums of a [rows, columns] matrix, shape [columns]: a bias gradient.
    public func sumOverRows() -> Tensor {
        precondition(rank == 2, "sumOverRows() needs a matrix, got shape \(shape)")
        let columns = shape[1]
        var totals = [Double](repeating: 0, count: columns)
        for start in stride(from: 0, to: count, by: Swift.max(columns, 1)) {
            for column in 0..<columns { totals[column] += Double(scalars[start + column]) }
        }
        return Tensor(shape: [columns], scalars: totals.map { Float($0) })
    }

    /// The index of the largest element of each row of a matrix (ties: the first).
    public func argmaxOfRows() -> [Int] {
        precondition(rank == 2 && shape[1] > 0, "argmaxOfRows() needs a matrix with columns, got shape \(shape)")
        let columns = shape[1]
        return (0..<shape[0]).map { row in
            var best = 0
            for column in 1..<columns where scalars[row * columns + column] > scalars[row * columns + best] {
                best = column
            }
            return best
        }
    }
}
