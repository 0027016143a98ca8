/// Labelled images kept as bytes (a quarter of the memory of Float; four runs on full
/// Fashion-MNIST fit the 400 MB budget) and converted per batch.
public struct ImageDataset: Sendable {
    public let name: String
    public let channels: Int
    public let height: Int
    public let width: Int
    /// `count × channels × height × width` bytes, channel-major within an image.
    public let pixels: [UInt8]
    public let labels: [UInt8]
    public let classNames: [String]

    public var count: Int { labels.count }
    public var featureCount: Int { channels * height * width }

    public init(
        name: String, channels: Int, height: Int, width: Int, pixels: [UInt8], labels: [UInt8], classNames: [String]
    ) {
        precondition(pixels.count == labels.count * channels * height * width, "pixel count does not match labels")
        self.name = name
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
        self.labels = labels
        self.classNames = classNames
    }

    /// Mean and standard deviation of all pixel values scaled to [0, 1]: computed on the
    /// training set and applied to both splits.
    public func pixelStatistics() -> Normalization {
        var sum = 0.0, squares = 0.0
        for value in pixels {
            let x = Double(value) / 255
            sum += x
            squares += x * x
        }
        let n = Double(Swift.max(pixels.count, 1))
        let mean = sum / n
        return Normalization(mean: mean, standardDeviation: Swift.max((squares / n - mean * mean).squareRoot(), 1e-12))
    }

    /// The images at `indices` as a `[count, channels, height, width]` tensor, scaled to
    /// [0, 1] and normalised, with their labels. (MLPs flatten it first.)
    public func batch(_ indices: some Collection<Int>, normalization: Normalization) -> (inputs: Tensor, labels: [Int])
    {
        let features = featureCount
        var scalars = [Float](repeating: 0, count: indices.count * features)
        let scale = Float(1 / (255 * normalization.standardDeviation))
        let shift = Float(normalization.mean / normalization.standardDeviation)
        scalars.withUnsafeMutableBufferPointer { target in
            pixels.withUnsafeBufferPointer { source in
                for (row, index) in indices.enumerated() {
                    let from = index * features, to = row * features
                    for i in 0..<features { target[to + i] = Float(source[from + i]) * scale - shift }
                }
            }
        }
        return (
            Tensor(shape: [indices.count, channels, height, width], scalars: scalars), indices.map { Int(labels[$0]) }
        )
    }
}

/// `x ↦ (x − mean) / standardDeviation` for inputs scaled to [0, 1].
public struct Normalization: Sendable, Equatable, Codable {
    public let mean: Double
    public let standardDeviation: Double

    public init(mean: Double, standardDeviation: Double) {
        self.mean = mean
        self.standardDeviation = standardDeviation
    }
}

/// A training and a test split of one dataset.
public struct ImageDatasetSplits: Sendable {
    public let train: ImageDataset
    public let test: ImageDataset
    /// From the training split only.
    public let normalization: Normalization
}
