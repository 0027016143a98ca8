/// Which training samples the learned schemes see: consecutive slices of one permutation
/// of the training split seeded by the experiment, wrapping around, so every run of an
/// experiment searches on the same samples.
enum SearchOrder {
    /// `draw(index, size)`: the sample indices of search draw `index`.
    static func sampler(count: Int, experimentSeed: UInt64) -> @Sendable (Int, Int) -> [Int] {
        var generator = SeededRandom(seed: experimentSeed ^ 0x5345_4152_4348)  // "SEARCH"
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        return { [order] index, size in (0..<size).map { order[(index * size + $0) % order.count] } }
    }
}

extension ImageDatasetSplits {
    public func searchBatches(experimentSeed: UInt64) -> InitializerSpec.TrainingBatches {
        let draw = SearchOrder.sampler(count: train.count, experimentSeed: experimentSeed)
        let train = train, normalization = normalization
        return { index, size in train.batch(draw(index, size), normalization: normalization) }
    }
}

extension TranslationSplits {
    public func searchBatches(
        tokenizer: CharacterTokenizer, length: Int, experimentSeed: UInt64
    ) -> InitializerSpec.TranslationBatches {
        let draw = SearchOrder.sampler(count: train.count, experimentSeed: experimentSeed)
        let train = train
        return { index, size in
            TranslationBatch(pairs: draw(index, size).map { train[$0] }, tokenizer: tokenizer, length: length)
        }
    }
}
