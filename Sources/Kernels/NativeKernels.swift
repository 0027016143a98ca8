import KernelInterface
import KernelsAVX2
import KernelsAVX512
import KernelsPortable

/// One instruction set's kernels (GEMM, the peak loop, elementwise loops, pooling), with the
/// row blocks of this CPU's L2. Each family is the same shared source compiled per module
/// (`Sources/Kernels/PerInstructionSet`), which builds its `family` table once.
struct NativeKernels: Sendable {
    let family: KernelFamily
    /// Rows of A per block, from this CPU's L2 (read once).
    let blockRows: Int

    init(_ family: KernelFamily) {
        self.family = family
        blockRows = family.blockRows(CPUInfo.current.level2Bytes)
    }

    /// The fastest family this CPU runs.
    static var detected: NativeKernels { of(.detected) }

    static func of(_ set: InstructionSet) -> NativeKernels {
        switch set {
        case .avx512: avx512
        case .avx2: avx2
        case .portable: portable
        }
    }

    static let avx512 = NativeKernels(KernelsAVX512.family)
    static let avx2 = NativeKernels(KernelsAVX2.family)
    static let portable = NativeKernels(KernelsPortable.family)
}
