/// A batch the learned schemes can cut into sub-batches and join: GradInit's S and S̃, NIO's
/// overlapping sub-batches. Samples are the unit: image-label pairs, or sentence pairs.
public protocol SearchBatch: Sendable {
    var sampleCount: Int { get }
    /// Samples `range`.
    func samples(_ range: Range<Int>) -> Self
    /// These samples, then those of `other`.
    func followed(by other: Self) -> Self
}

/// Classifier inputs [N, ...] with their labels.
public struct LabelledBatch: SearchBatch {
    public let inputs: Tensor
    public let labels: [Int]

    public init(_ inputs: Tensor, _ labels: [Int]) {
        precondition(inputs.shape.first == labels.count, "\(labels.count) labels for inputs \(inputs.shape)")
        self.inputs = inputs
        self.labels = labels
    }

    public init(_ batch: (Tensor, [Int])) { self.init(batch.0, batch.1) }

    public var sampleCount: Int { labels.count }

    public func samples(_ range: Range<Int>) -> LabelledBatch {
        let perSample = inputs.count / max(labels.count, 1)
        let scalars = Array(inputs.scalars[(range.lowerBound * perSample)..<(range.upperBound * perSample)])
        return LabelledBatch(
            Tensor(shape: [range.count] + inputs.shape.dropFirst(), scalars: scalars), Array(labels[range]))
    }

    public func followed(by other: LabelledBatch) -> LabelledBatch {
        LabelledBatch(
            Tensor(
                shape: [labels.count + other.labels.count] + inputs.shape.dropFirst(),
                scalars: inputs.scalars + other.inputs.scalars),
            labels + other.labels)
    }
}
