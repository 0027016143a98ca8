/// Elementwise loops in the vectors of the fastest instruction set this CPU runs: the
/// compiler would otherwise keep them scalar and turn their data-dependent selects into
/// branches, which mispredict on half of all random signs (a ReLU backward took 20 % of a
/// CNN step that way).
public enum VectorMath {
    /// y = max(x, 0) (a NaN stays NaN).
    public static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        NativeKernels.detected.family.relu(x, y, count)
    }

    /// dx = dy where x > 0, else 0.
    public static func reluBackward(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int
    ) {
        NativeKernels.detected.family.reluBackward(x, dy, dx, count)
    }

    /// y += x.
    public static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        NativeKernels.detected.family.add(x, y, count)
    }
}
