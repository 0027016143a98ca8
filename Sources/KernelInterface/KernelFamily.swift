/// One instruction set's kernels as values: the same shared sources
/// (`Sources/Kernels/PerInstructionSet`) compiled once per instruction set each build one of
/// these (`FamilyTable.swift`), so the signatures agree and choosing a family is a lookup.
public struct KernelFamily: Sendable {
    public let scratchCount: @Sendable (_ m: Int, _ n: Int, _ k: Int) -> Int
    public let multiply:
        @Sendable (
            _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
            _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
            _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool, _ scratch: UnsafeMutablePointer<Float>,
            _ blockRows: Int
        ) -> Void
    /// Rows of A per block for a CPU with this much L2 a core.
    public let blockRows: @Sendable (_ level2Bytes: Int) -> Int

    /// The FMA-chain peak loop of the same vector width, its lanes and chains.
    public let peakLoop: @Sendable (_ iterations: Int, _ decay: Float) -> Float
    public let peakLanes: Int
    public let peakChains: Int

    /// The elementwise loops and 2×2 max pooling in the same vectors.
    public let relu: @Sendable (_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) -> Void
    public let reluBackward:
        @Sendable (
            _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ count: Int
        ) -> Void
    public let add: @Sendable (_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) -> Void
    public let maxPool2x2:
        @Sendable (
            _ x: UnsafePointer<Float>, _ planes: Int, _ height: Int, _ width: Int, _ y: UnsafeMutablePointer<Float>,
            _ winners: UnsafeMutablePointer<Int32>
        ) -> Void

    public init(
        scratchCount: @escaping @Sendable (Int, Int, Int) -> Int,
        multiply: @escaping @Sendable (
            Bool, Bool, Int, Int, Int, UnsafePointer<Float>, Int, UnsafePointer<Float>, Int,
            UnsafeMutablePointer<Float>, Int, Bool, UnsafeMutablePointer<Float>, Int
        ) -> Void,
        blockRows: @escaping @Sendable (Int) -> Int, peakLoop: @escaping @Sendable (Int, Float) -> Float,
        peakLanes: Int, peakChains: Int,
        relu: @escaping @Sendable (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
        reluBackward: @escaping @Sendable (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int)
            -> Void,
        add: @escaping @Sendable (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
        maxPool2x2: @escaping @Sendable (
            UnsafePointer<Float>, Int, Int, Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Int32>
        ) -> Void
    ) {
        self.scratchCount = scratchCount
        self.multiply = multiply
        self.blockRows = blockRows
        self.peakLoop = peakLoop
        self.peakLanes = peakLanes
        self.peakChains = peakChains
        self.relu = relu
        self.reluBackward = reluBackward
        self.add = add
        self.maxPool2x2 = maxPool2x2
    }
}
