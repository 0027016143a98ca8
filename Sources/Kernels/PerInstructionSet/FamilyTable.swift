import KernelInterface

/// This instruction set's kernels as one value: written once here, compiled once per
/// instruction set, read by `Gemm` as `KernelsAVX512.family`, `KernelsAVX2.family`, ….
public let family = KernelFamily(
    scratchCount: PackedGemm.scratchCount, multiply: PackedGemm.multiply,
    blockRows: { PackedGemm.blockRows(level2Bytes: $0) },
    peakLoop: FMAPeak.run, peakLanes: FMAPeak.lanes, peakChains: FMAPeak.chains,
    relu: { Elementwise.relu($0, $1, count: $2) },
    reluBackward: { Elementwise.reluBackward($0, $1, $2, count: $3) },
    add: { Elementwise.add($0, into: $1, count: $2) },
    maxPool2x2: { MaxPool2x2.forward($0, planes: $1, height: $2, width: $3, into: $4, winners: $5) })
