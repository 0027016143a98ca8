import Kernels

/// One core's FMA peak in a native kernel's vector width (independent multiply-add chains,
/// median of timed windows): the ceiling `bench gemm` reports each shape against.
public struct PeakBenchmark: Sendable {
    public var windows: Int
    public var windowSeconds: Double

    public init(windows: Int = 5, windowSeconds: Double = 0.1) {
        self.windows = windows
        self.windowSeconds = windowSeconds
    }

    /// Rounds of the chains per call: long enough that the call costs nothing, short enough
    /// (about 50 µs) that a window of 0.1 s holds thousands of calls.
    static let iterations = 20_000

    /// Median GFLOP/s of `gemm`'s native loop; nil for OpenBLAS, which has none.
    public func measure(_ gemm: Gemm) -> Double? {
        guard gemm.peakLoopShape != nil else { return nil }
        FloatingPointMode.enableFlushToZero()
        var samples: [Double] = []
        var flops = 0.0, sink: Float = 0
        for _ in 0..<windows {
            let seconds = GemmBenchmark.time(atLeast: windowSeconds) {
                guard let (count, result) = gemm.runPeakLoop(iterations: Self.iterations) else { return }
                flops = count
                sink += result
            }
            samples.append(flops / seconds / 1e9)
        }
        // The chains converge to 1 each lane; anything else means the loop was not run.
        precondition(sink.isFinite && sink > 0, "the FMA chains returned \(sink)")
        return GemmBenchmark.median(samples)
    }
}
