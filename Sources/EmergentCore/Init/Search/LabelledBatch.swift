/// Slicing and joining (inputs, labels) batches for the searches' S, S̃ and sub-batches.
enum LabelledBatch {
    /// Samples `range` of a batch.
    static func slice(_ batch: (Tensor, [Int]), _ range: Range<Int>) -> (Tensor, [Int]) {
        let perSample = batch.0.count / max(batch.1.count, 1)
        let scalars = Array(batch.0.scalars[(range.lowerBound * perSample)..<(range.upperBound * perSample)])
        return (Tensor(shape: [range.count] + batch.0.shape.dropFirst(), scalars: scalars), Array(batch.1[range]))
    }

    /// The samples of `a`, then those of `b`.
    static func concatenate(_ a: (Tensor, [Int]), _ b: (Tensor, [Int])) -> (Tensor, [Int]) {
        (Tensor(shape: [a.1.count + b.1.count] + a.0.shape.dropFirst(), scalars: a.0.scalars + b.0.scalars), a.1 + b.1)
    }
}
