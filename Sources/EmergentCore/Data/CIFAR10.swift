import Foundation

/// CIFAR-10 in its binary form (`cifar-10-batches-bin`): records of one label byte and
/// 3,072 pixel bytes (1,024 red, 1,024 green, 1,024 blue, row-major 32×32).
public enum CIFAR10 {
    public static let trainFiles = (1...5).map { "data_batch_\($0).bin" }
    public static let testFile = "test_batch.bin"
    static let recordSize = 1 + 3 * 32 * 32
    public static let classNames = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]

    /// The folder holding the batch files: `directory` itself or its `cifar-10-batches-bin`.
    static func batchDirectory(_ directory: String) -> String? {
        for candidate in [directory, (directory as NSString).appendingPathComponent("cifar-10-batches-bin")] {
            if FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent(testFile)) {
                return candidate
            }
        }
        return nil
    }

    public static func isAvailable(in directory: String) -> Bool { batchDirectory(directory) != nil }

    public static func load(directory: String) throws(DatasetError) -> ImageDatasetSplits {
        guard let folder = batchDirectory(directory) else {
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            if contents.isEmpty { throw .emptyDirectory(directory) }
            throw .missingFile((directory as NSString).appendingPathComponent(testFile))
        }
        let train = try read(trainFiles.map { (folder as NSString).appendingPathComponent($0) }, name: "cifar10/train")
        let test = try read([(folder as NSString).appendingPathComponent(testFile)], name: "cifar10/test")
        return ImageDatasetSplits(train: train, test: test, normalization: train.pixelStatistics())
    }

    static func read(_ paths: [String], name: String) throws(DatasetError) -> ImageDataset {
        var pixels: [UInt8] = []
        var labels: [UInt8] = []
        for path in paths {
            let bytes = try FileBytes.read(path)
            let records = bytes.count / recordSize
            guard records > 0, bytes.count % recordSize == 0 else {
                throw .truncated(file: path, expectedBytes: (records + 1) * recordSize, actualBytes: bytes.count)
            }
            for record in 0..<records {
                let start = record * recordSize
                guard bytes[start] < 10 else {
                    throw .labelOutOfRange(file: path, index: record, label: Int(bytes[start]), classCount: 10)
                }
                labels.append(bytes[start])
                pixels.append(contentsOf: bytes[(start + 1)..<(start + recordSize)])
            }
        }
        return ImageDataset(
            name: name, channels: 3, height: 32, width: 32, pixels: pixels, labels: labels, classNames: classNames)
    }
}
