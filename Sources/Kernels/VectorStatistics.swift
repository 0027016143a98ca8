/// Reductions for the live statistics, in SIMD with Float partial sums flushed into Double
/// every block: fast enough to run every 50 steps, accurate to ~1e-7 relative.
public enum VectorStatistics {
    public typealias Vector = Lanes.Vector
    static let block = 4096

    /// Σx and Σx² of `count` values.
    public static func sumAndSquares(_ x: UnsafePointer<Float>, count: Int) -> (sum: Double, squares: Double) {
        var sum = 0.0, squares = 0.0
        for start in stride(from: 0, to: count, by: block) {
            var s = Vector(), q = Vector()
            Lanes.forEach(min(block, count - start)) { i, w in
                let v = Lanes.load(x + start + i, w)  // missing lanes load as zeros
                s += v
                q += v * v
            }
            sum += Double(s.sum())
            squares += Double(q.sum())
        }
        return (sum, squares)
    }

    /// The population standard deviation of `count` values (0 for none).
    public static func standardDeviation(_ x: UnsafePointer<Float>, count: Int) -> Double {
        let moments = sumAndSquares(x, count: count)
        let n = Double(max(count, 1)), mean = moments.sum / n
        return max(moments.squares / n - mean * mean, 0).squareRoot()
    }

    /// For a row-major [rows, columns] matrix: per column Σ|x| into `magnitude` (added),
    /// and the count of values with |x| ≥ `saturation`.
    public static func columnMagnitudes(
        _ x: UnsafePointer<Float>, rows: Int, columns: Int,
        into magnitude: UnsafeMutablePointer<Double>, saturation: Float
    ) -> Int {
        var saturated = 0
        var partial = [Float](repeating: 0, count: columns)
        partial.withUnsafeMutableBufferPointer { partial in
            let p = partial.baseAddress!
            for row in 0..<rows {
                let line = x + row * columns
                var c = 0
                while c + Vector.scalarCount <= columns {
                    let raw = UnsafeRawPointer(line + c).loadUnaligned(as: Vector.self)
                    let v = raw.replacing(with: -raw, where: raw .< 0)
                    let target = UnsafeMutableRawPointer(p + c)
                    target.storeBytes(of: target.loadUnaligned(as: Vector.self) + v, as: Vector.self)
                    saturated += (v .>= Vector(repeating: saturation)).nonzeroCount
                    c += Vector.scalarCount
                }
                while c < columns { let a = abs(line[c]); p[c] += a; if a >= saturation { saturated += 1 }; c += 1 }
                if (row + 1) % 256 == 0 || row == rows - 1 {  // flush Float partials to keep precision
                    for c in 0..<columns { magnitude[c] += Double(p[c]); p[c] = 0 }
                }
            }
        }
        return saturated
    }

    /// Σ|x| of `count` values and how many have |x| ≥ `saturation`.
    public static func absoluteSum(
        _ x: UnsafePointer<Float>, count: Int, saturation: Float
    ) -> (sum: Double, saturated: Int) {
        var total = 0.0, saturated = 0
        var start = 0
        while start < count {
            let end = min(start + block, count)
            var s = Vector()
            var i = start
            while i + Vector.scalarCount <= end {
                let raw = UnsafeRawPointer(x + i).loadUnaligned(as: Vector.self)
                let v = raw.replacing(with: -raw, where: raw .< 0)
                s += v
                saturated += (v .>= Vector(repeating: saturation)).nonzeroCount
                i += Vector.scalarCount
            }
            var tail: Float = 0
            while i < end { let a = abs(x[i]); tail += a; if a >= saturation { saturated += 1 }; i += 1 }
            total += Double(s.sum() + tail)
            start = end
        }
        return (total, saturated)
    }
}

extension SIMDMask {
    /// The number of true lanes.
    var nonzeroCount: Int {
        var count = 0
        for i in 0..<scalarCount where self[i] { count += 1 }
        return count
    }
}
