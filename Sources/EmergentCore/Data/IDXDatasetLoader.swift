import Kernels
import Foundation

/// Loads an MNIST-format dataset (four IDX files, gzipped or raw) from one directory,
/// validating everything before returning.
public enum IDXDatasetLoader {
    static let trainImages = "train-images-idx3-ubyte"
    static let trainLabels = "train-labels-idx1-ubyte"
    static let testImages = "t10k-images-idx3-ubyte"
    static let testLabels = "t10k-labels-idx1-ubyte"
    static let fileNames = [trainImages, trainLabels, testImages, testLabels]

    /// Loads the directory's four files. `checksums` maps file names (as stored) to their
    /// SHA-256; when given, every file is verified before it is parsed.
    public static func load(
        directory: String, name: String, classNames: [String], checksums: [String: String] = [:]
    ) throws(DatasetError) -> ImageDatasetSplits {
        let paths = fileNames.map { locate($0, in: directory) }
        if paths.allSatisfy({ $0 == nil }) { throw .emptyDirectory(directory) }
        var resolved: [String] = []
        for (base, path) in zip(fileNames, paths) {
            guard let path else { throw .missingFile((directory as NSString).appendingPathComponent(base + ".gz")) }
            resolved.append(path)
        }
        var contents: [[UInt8]] = []
        for path in resolved {
            let raw = try FileBytes.read(path)
            if let expected = checksums[(path as NSString).lastPathComponent] {
                let actual = SHA256.hex(of: raw)
                guard actual == expected else {
                    throw .checksumMismatch(file: path, expected: expected, actual: actual)
                }
            }
            contents.append(raw.starts(with: [0x1F, 0x8B]) ? try FileBytes.gunzip(raw, file: path) : raw)
        }
        let train = try split(
            images: (resolved[0], contents[0]), labels: (resolved[1], contents[1]),
            name: name + "/train", classNames: classNames)
        let test = try split(
            images: (resolved[2], contents[2]), labels: (resolved[3], contents[3]),
            name: name + "/test", classNames: classNames)
        guard test.height == train.height && test.width == train.width else {
            throw .badDimensions(
                file: resolved[2], found: [test.count, test.height, test.width],
                expected: "N×\(train.height)×\(train.width) like the training images")
        }
        return ImageDatasetSplits(train: train, test: test, normalization: train.pixelStatistics())
    }

    /// `name.gz` or `name` in `directory`.
    static func locate(_ name: String, in directory: String) -> String? {
        for candidate in [name + ".gz", name] {
            let path = (directory as NSString).appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }

    static func split(
        images: (path: String, bytes: [UInt8]), labels: (path: String, bytes: [UInt8]),
        name: String, classNames: [String]
    ) throws(DatasetError) -> ImageDataset {
        let imageFile = try IDXFile(bytes: images.bytes, file: images.path, rank: 3)
        let labelFile = try IDXFile(bytes: labels.bytes, file: labels.path, rank: 1)
        let dims = imageFile.dimensions
        guard dims[1] > 0 && dims[2] > 0 && dims[1] <= 4096 && dims[2] <= 4096 else {
            throw .badDimensions(file: images.path, found: dims, expected: "N×H×W with H and W in 1...4096")
        }
        guard dims[0] == labelFile.dimensions[0] else {
            throw .countMismatch(
                images: images.path, imageCount: dims[0], labels: labels.path,
                labelCount: labelFile.dimensions[0])
        }
        if let bad = labelFile.values.firstIndex(where: { Int($0) >= classNames.count }) {
            throw .labelOutOfRange(
                file: labels.path, index: bad, label: Int(labelFile.values[bad]),
                classCount: classNames.count)
        }
        return ImageDataset(
            name: name, channels: 1, height: dims[1], width: dims[2],
            pixels: imageFile.values, labels: labelFile.values, classNames: classNames)
    }
}
