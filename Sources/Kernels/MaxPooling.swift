/// 2×2, stride-2 max pooling in the vectors of the fastest instruction set this CPU runs.
/// Rows of 14 and 7 outputs (the reference CNN's) use 8- and 4-lane vectors, which every
/// family has, so the choice of family changes the instructions, not the shape of the work.
public enum MaxPooling {
    /// Pools `planes` planes of `height × width` into `y` (a last odd row or column is
    /// dropped) and writes each output's winning input index, counted from `x`: the first
    /// maximum in the order top-left, top-right, bottom-left, bottom-right.
    public static func forward2x2(
        _ x: UnsafePointer<Float>, planes: Int, height: Int, width: Int,
        into y: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Int32>
    ) {
        precondition(height >= 2 && width >= 2, "2×2 pooling needs planes of at least 2×2, got \(height)×\(width)")
        NativeKernels.detected.family.maxPool2x2(x, planes, height, width, y, winners)
    }
}
