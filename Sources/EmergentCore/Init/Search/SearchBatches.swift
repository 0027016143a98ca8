extension ImageDatasetSplits {
    /// Batches for learned initializations: consecutive slices of one permutation of the
    /// training split seeded by the experiment, wrapping around; the same for every run.
    public func searchBatches(experimentSeed: UInt64) -> InitializerSpec.TrainingBatches {
        var generator = SeededRandom(seed: experimentSeed ^ 0x5345_4152_4348)  // "SEARCH"
        var order = Array(0..<train.count)
        order.shuffle(using: &generator)
        let train = train, normalization = normalization
        return { index, size in
            let indices = (0..<size).map { order[(index * size + $0) % order.count] }
            return train.batch(indices, normalization: normalization)
        }
    }
}
