import Foundation

/// Haar-distributed (semi-)orthogonal matrices (Saxe et al. 2014): QR of a Gaussian matrix
/// with the signs of R's diagonal folded into Q (initializers.md §7).
public enum Orthogonal {
    /// A rows × columns matrix with orthonormal rows (rows ≤ columns) or columns, row-major.
    public static func matrix(rows: Int, columns: Int, using generator: inout SeededRandom) -> [Double] {
        let tall = max(rows, columns), wide = min(rows, columns)
        // Columns of a tall × wide Gaussian matrix, orthonormalised by modified Gram–Schmidt
        // twice (numerically as good as Householder QR at these sizes); the signs of R's
        // diagonal are the signs kept by normalising each column.
        var columnsOfQ = (0..<wide).map { _ in (0..<tall).map { _ in generator.normal() } }
        for j in 0..<wide {
            for _ in 0..<2 {
                for k in 0..<j {
                    var dot = 0.0
                    for i in 0..<tall { dot += columnsOfQ[k][i] * columnsOfQ[j][i] }
                    for i in 0..<tall { columnsOfQ[j][i] -= dot * columnsOfQ[k][i] }
                }
            }
            var norm = 0.0
            for i in 0..<tall { norm += columnsOfQ[j][i] * columnsOfQ[j][i] }
            norm = norm.squareRoot()
            for i in 0..<tall { columnsOfQ[j][i] /= norm }
        }
        var result = [Double](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                // Tall case: Q itself (rows = tall); wide case: Qᵀ.
                result[r * columns + c] = rows >= columns ? columnsOfQ[c][r] : columnsOfQ[r][c]
            }
        }
        return result
    }
}
