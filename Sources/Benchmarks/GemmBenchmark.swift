import EmergentCore
import Kernels

/// Single-thread GFLOP/s of matrix products, backends measured in alternating windows so
/// that turbo and neighbour noise hit all of them alike; the ratio is taken in one run.
public struct GemmBenchmark: Sendable {
    public var shapes: [GemmShape]
    public var backends: [Gemm]
    /// Timed windows per shape and backend; the median is reported.
    public var windows: Int
    /// Minimum length of one window.
    public var windowSeconds: Double
    /// Whether A and B are stored transposed (backprop computes Xᵀ·dY and dY·Wᵀ).
    public var transposeA: Bool
    public var transposeB: Bool

    public init(
        shapes: [GemmShape], backends: [Gemm], windows: Int = 5, windowSeconds: Double = 0.2,
        transposeA: Bool = false, transposeB: Bool = false
    ) {
        self.shapes = shapes
        self.backends = backends
        self.windows = windows
        self.windowSeconds = windowSeconds
        self.transposeA = transposeA
        self.transposeB = transposeB
    }

    public struct Row: Sendable, Codable {
        public let shape: GemmShape
        /// Median GFLOP/s per backend, in the order of `backends`.
        public let gflops: [Double]
    }

    /// Runs every shape; `progress` is called after each row.
    public func run(progress: (Row) -> Void = { _ in }) -> [Row] {
        FloatingPointMode.enableFlushToZero()
        var rows: [Row] = []
        for shape in shapes {
            let row = measure(shape)
            progress(row)
            rows.append(row)
        }
        return rows
    }

    func measure(_ shape: GemmShape) -> Row {
        var generator = SplitMix64(seed: 0x5EED)
        func randomMatrix(_ count: Int) -> [Float] {
            (0..<count).map { _ in Float(generator.next() >> 40) / Float(1 << 24) * 2 - 1 }
        }
        let a = randomMatrix(shape.m * shape.k)
        let b = randomMatrix(shape.k * shape.n)
        var c = [Float](repeating: 0, count: shape.m * shape.n)
        var samples = Array(repeating: [Double](), count: backends.count)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    func product(_ gemm: Gemm) {
                        gemm.multiply(
                            transposeA: transposeA, transposeB: transposeB, m: shape.m, n: shape.n, k: shape.k,
                            a: a.baseAddress!, lda: transposeA ? shape.m : shape.k,
                            b: b.baseAddress!, ldb: transposeB ? shape.k : shape.n,
                            c: c.baseAddress!, ldc: shape.n)
                    }
                    for gemm in backends { product(gemm) }  // warm caches and scratch
                    for _ in 0..<windows {
                        for (index, gemm) in backends.enumerated() {
                            let seconds = Self.time(atLeast: windowSeconds) { product(gemm) }
                            samples[index].append(shape.flops / seconds / 1e9)
                        }
                    }
                }
            }
        }
        return Row(shape: shape, gflops: samples.map(Self.median))
    }

    /// Seconds per call of `body`, repeated until `atLeast` seconds have passed.
    static func time(atLeast minimum: Double, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var calls = 0
        var elapsed = 0.0
        repeat {
            body()
            calls += 1
            elapsed = (clock.now - start).seconds
        } while elapsed < minimum
        return elapsed / Double(calls)
    }

    /// The middle value, the mean of the middle two for an even count (NaN for none).
    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
