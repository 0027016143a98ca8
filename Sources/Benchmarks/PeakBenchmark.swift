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

    /// GFLOP/s of `gemm`'s native loop over the windows; nil for OpenBLAS, which has none.
    public func measure(_ gemm: Gemm) -> WindowSpread? {
        guard gemm.peakLoopShape != nil else { return nil }
        FloatingPointMode.enableFlushToZero()
        return WindowSpread((0..<windows).compactMap { _ in Self.window(gemm, seconds: windowSeconds) })
    }

    /// GFLOP/s of one window of `gemm`'s native loop (at least `seconds` long); nil for OpenBLAS.
    static func window(_ gemm: Gemm, seconds: Double) -> Double? {
        var flops = 0.0, sink: Float = 0
        let perCall = GemmBenchmark.time(atLeast: seconds) {
            guard let (count, result) = gemm.runPeakLoop(iterations: iterations) else { return }
            flops = count
            sink += result
        }
        guard flops > 0 else { return nil }
        // The chains converge to 1 each lane; anything else means the loop was not run.
        precondition(sink.isFinite && sink > 0, "the FMA chains returned \(sink)")
        return flops / perCall / 1e9
    }
}
