import Foundation

/// ZerO's deterministic matrices (Zhao et al. 2022, initializers.md §9): identity for
/// P ≤ Q, else c·I_{P×2^m}·H_m·I_{2^m×Q} with the Sylvester Hadamard matrix H_m.
public enum ZerO {
    public enum Normalization: String, Sendable, CaseIterable {
        /// c = 2^{−m/2}: H orthonormal (the official notebook).
        case notebook
        /// c = 2^{−(m−1)/2}: √2 larger, what reimplementations from the paper text use.
        case relu
    }

    /// The P × Q matrix (out × in), row-major.
    public static func matrix(rows p: Int, columns q: Int, normalization: Normalization) -> [Double] {
        var result = [Double](repeating: 0, count: p * q)
        if p <= q {
            for i in 0..<p { result[i * q + i] = 1 }
            return result
        }
        var m = 0
        while (1 << m) < p { m += 1 }
        let c = normalization == .notebook ? pow(2, -Double(m) / 2) : pow(2, -Double(m - 1) / 2)
        for i in 0..<p {
            for j in 0..<q { result[i * q + j] = c * Double(hadamardSign(i, j)) }
        }
        return result
    }

    /// Entry (i, j) of the Sylvester Hadamard matrix: (−1)^{popcount(i & j)}.
    static func hadamardSign(_ i: Int, _ j: Int) -> Int { (i & j).nonzeroBitCount % 2 == 0 ? 1 : -1 }
}
