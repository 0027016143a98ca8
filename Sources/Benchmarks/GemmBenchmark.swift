import EmergentCore
import Kernels

/// Single-thread GFLOP/s of matrix products, backends measured in alternating windows so
/// that turbo and neighbour noise hit all of them alike; the ratio is taken in one run. With
/// `peak`, a window of its FMA loop comes before the first product and after each round, and a
/// round's share of peak is the first backend's rate over the higher of the two peak windows
/// around it: a peak taken once per run (56–116 GFLOP/s on a loaded machine) printed shares
/// of 113–167 %.
public struct GemmBenchmark: Sendable {
    public var shapes: [GemmShape]
    public var backends: [Gemm]
    /// The kernels whose FMA peak each round is measured against (the native backend).
    public var peak: Gemm?
    /// Timed windows per shape and backend; the median is reported.
    public var windows: Int
    /// Minimum length of one window.
    public var windowSeconds: Double
    /// Whether A and B are stored transposed (backprop computes Xᵀ·dY and dY·Wᵀ).
    public var transposeA: Bool
    public var transposeB: Bool

    public init(
        shapes: [GemmShape], backends: [Gemm], peak: Gemm? = nil, windows: Int = 5, windowSeconds: Double = 0.2,
        transposeA: Bool = false, transposeB: Bool = false
    ) {
        self.shapes = shapes
        self.backends = backends
        self.peak = peak
        self.windows = windows
        self.windowSeconds = windowSeconds
        self.transposeA = transposeA
        self.transposeB = transposeB
    }

    public struct Row: Sendable, Codable {
        public let shape: GemmShape
        /// GFLOP/s per backend, in the order of `backends`.
        public let rates: [WindowSpread]
        /// The first backend's rate over the peak beside it, per round; nil without `peak`.
        public let shareOfPeak: WindowSpread?
        /// This row's peak windows (GFLOP/s), in order.
        public let peakWindows: [Double]

        /// Median GFLOP/s per backend.
        public var gflops: [Double] { rates.map(\.median) }
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
        var peaks: [Double] = [], shares: [Double] = []
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
                    // The peak windows in order: one before the first round, one after each.
                    if let peak, let first = PeakBenchmark.window(peak, seconds: windowSeconds) { peaks.append(first) }
                    for _ in 0..<windows {
                        for (index, gemm) in backends.enumerated() {
                            let seconds = Self.time(atLeast: windowSeconds) { product(gemm) }
                            samples[index].append(shape.flops / seconds / 1e9)
                        }
                        if let peak, let before = peaks.last, let after = PeakBenchmark.window(peak, seconds: windowSeconds) {
                            shares.append(samples[0].last! / max(before, after))
                            peaks.append(after)
                        }
                    }
                }
            }
        }
        return Row(
            shape: shape, rates: samples.map(WindowSpread.init), shareOfPeak: shares.isEmpty ? nil : WindowSpread(shares),
            peakWindows: peaks)
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
