/// Inverted dropout: in training each element is zeroed with probability `rate` and the
/// survivors are scaled by 1/(1 − rate), so evaluation is the identity. The layer owns its
/// seeded generator (derived from the run's), so a run's masks depend only on its seed.
public final class Dropout: Layer {
    public let rate: Float
    /// The mask generator's state: readable and restorable, so a resumed run draws the masks
    /// the uninterrupted one would.
    public var generator: SeededRandom
    private var scaledMask: [Float] = []

    public init(rate: Float, generator: SeededRandom) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1), got \(rate)")
        self.rate = rate
        self.generator = generator
    }

    public func forward(_ input: Tensor, mode: PassMode) -> Tensor {
        guard mode == .training, rate > 0 else {
            scaledMask = []
            return input
        }
        let keep = 1 / (1 - rate)
        let threshold = UInt64(Double(rate) * 0x1p64.nextDown)
        scaledMask = (0..<input.count).map { _ in generator.next() < threshold ? 0 : keep }
        return input.zipMap(Tensor(shape: input.shape, scalars: scaledMask), *)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard !scaledMask.isEmpty else { return outputGradient }
        return outputGradient.zipMap(Tensor(shape: outputGradient.shape, scalars: scaledMask), *)
    }
}
