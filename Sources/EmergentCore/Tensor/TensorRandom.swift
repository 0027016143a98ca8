/// Random tensors drawn from a generator the caller owns.
extension Tensor {
    /// Elements drawn independently from `sample`, in row-major order.
    public static func sampled(
        _ shape: [Int], using generator: inout SeededRandom, _ sample: (inout SeededRandom) -> Double
    ) -> Tensor {
        let count = elementCount(shape)
        var scalars = [Float]()
        scalars.reserveCapacity(count)
        for _ in 0..<count { scalars.append(Float(sample(&generator))) }
        return Tensor(shape: shape, scalars: scalars)
    }

    public static func normal(
        _ shape: [Int], mean: Double = 0, standardDeviation: Double = 1, using generator: inout SeededRandom
    ) -> Tensor {
        sampled(shape, using: &generator) { $0.normal(mean: mean, standardDeviation: standardDeviation) }
    }

    public static func uniform(
        _ shape: [Int], lower: Double, upper: Double, using generator: inout SeededRandom
    ) -> Tensor {
        sampled(shape, using: &generator) { $0.uniform(lower, upper) }
    }
}
