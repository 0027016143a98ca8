// Shared source: compiled once per instruction set (see MicroKernel.swift).

/// The core's multiply-add peak in this module's vector width: independent FMA chains with
/// nothing else in the loop, the ceiling a GEMM micro-kernel of the same width can approach.
public enum FMAPeak {
    /// Floats in one vector of the wide kernel.
    public static var lanes: Int { WideVector.scalarCount }
    /// Independent chains: more than FMA units × latency (2 × 4 or 5 cycles on current x86),
    /// so that no chain waits for its own last result.
    public static let chains = 12

    /// Runs the chains `iterations` rounds and returns a sum of them, so that none is dead code.
    /// Each round is `c = c·decay + (1 − decay)`: the chain's own value is a factor, so the
    /// compiler can neither hoist the product nor fold the FMA into an add, and c stays near 1.
    @inline(never)
    public static func run(iterations: Int, decay: Float) -> Float {
        let factor = WideVector(repeating: decay), offset = WideVector(repeating: 1 - decay)
        var c0 = WideVector(repeating: 0.5), c1 = c0 + offset, c2 = c1 + offset, c3 = c2 + offset
        var c4 = c3 + offset, c5 = c4 + offset, c6 = c5 + offset, c7 = c6 + offset
        var c8 = c7 + offset, c9 = c8 + offset, c10 = c9 + offset, c11 = c10 + offset
        for _ in 0..<iterations {
            c0 = multiplyAdd(offset, c0, factor); c1 = multiplyAdd(offset, c1, factor)
            c2 = multiplyAdd(offset, c2, factor); c3 = multiplyAdd(offset, c3, factor)
            c4 = multiplyAdd(offset, c4, factor); c5 = multiplyAdd(offset, c5, factor)
            c6 = multiplyAdd(offset, c6, factor); c7 = multiplyAdd(offset, c7, factor)
            c8 = multiplyAdd(offset, c8, factor); c9 = multiplyAdd(offset, c9, factor)
            c10 = multiplyAdd(offset, c10, factor); c11 = multiplyAdd(offset, c11, factor)
        }
        let sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11))
        return sum.sum()
    }
}
