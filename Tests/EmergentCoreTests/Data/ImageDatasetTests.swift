@testable import EmergentCore
import Foundation
import Testing

@Suite("IDX and CIFAR-10 readers")
struct ImageDatasetTests {
    static func idx(rank: Int, dimensions: [Int], payload: [UInt8]) -> Data {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(rank)]
        for dimension in dimensions { bytes += withUnsafeBytes(of: UInt32(dimension).bigEndian, Array.init) }
        return Data(bytes + payload)
    }

    /// A valid MNIST-format directory with `train` and `test` images of 4×3 pixels.
    static func writeIDX(train: Int = 6, test: Int = 3, gzip: Bool = true, into directory: URL) throws {
        for (prefix, count) in [("train", train), ("t10k", test)] {
            let images = idx(rank: 3, dimensions: [count, 4, 3], payload: (0..<(count * 12)).map { UInt8($0 % 256) })
            let labels = idx(rank: 1, dimensions: [count], payload: (0..<count).map { UInt8($0 % 10) })
            try write(images, "\(prefix)-images-idx3-ubyte", gzip: gzip, in: directory)
            try write(labels, "\(prefix)-labels-idx1-ubyte", gzip: gzip, in: directory)
        }
    }

    static func write(_ data: Data, _ name: String, gzip: Bool, in directory: URL) throws {
        try (gzip ? TestFiles.gzip(data) : data).write(to: directory.appendingPathComponent(gzip ? name + ".gz" : name))
    }

    static func load(_ directory: URL) throws(DatasetError) -> ImageDatasetSplits {
        try IDXDatasetLoader.load(directory: directory.path, name: "test", classNames: DatasetCatalog.digitClassNames)
    }

    @Test("gzipped and raw IDX files load with their shapes, labels and normalisation", arguments: [true, false])
    func validFiles(gzip: Bool) throws {
        let directory = try TestFiles.directory("idx")
        try Self.writeIDX(gzip: gzip, into: directory)
        let splits = try Self.load(directory)
        #expect(splits.train.count == 6 && splits.test.count == 3)
        #expect(splits.train.height == 4 && splits.train.width == 3 && splits.train.channels == 1)
        #expect(splits.train.labels == [0, 1, 2, 3, 4, 5])
        // Training pixels are 0…71: mean and population std of x/255.
        let values = (0..<72).map { Double($0) / 255 }
        let mean = values.reduce(0, +) / 72
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 72).squareRoot()
        #expect(abs(splits.normalization.mean - mean) < 1e-12)
        #expect(abs(splits.normalization.standardDeviation - std) < 1e-9)
        let batch = splits.train.batch([2, 0], normalization: splits.normalization)
        #expect(batch.inputs.shape == [2, 1, 4, 3] && batch.labels == [2, 0])
        #expect(abs(Double(batch.inputs[1, 0, 1, 2]) - (5.0 / 255 - mean) / std) < 1e-5)
    }

    @Test(
        "corrupt IDX files give errors naming the file and the problem",
        arguments: [
            "truncated", "trailing", "magic", "count", "label", "gzip", "empty", "missing", "dimensions",
        ])
    func corruptFiles(kind: String) throws {
        let directory = try TestFiles.directory("idx-bad")
        if kind != "empty" { try Self.writeIDX(into: directory) }
        let images = directory.appendingPathComponent("train-images-idx3-ubyte.gz")
        let labels = directory.appendingPathComponent("train-labels-idx1-ubyte.gz")
        let payload = (0..<72).map { UInt8($0) }
        var expected: DatasetError
        switch kind {
        case "truncated":
            try Self.write(
                Self.idx(rank: 3, dimensions: [6, 4, 3], payload: Array(payload.prefix(50))), "train-images-idx3-ubyte",
                gzip: true, in: directory)
            expected = .truncated(file: images.path, expectedBytes: 16 + 72, actualBytes: 16 + 50)
        case "trailing":
            try Self.write(
                Self.idx(rank: 3, dimensions: [6, 4, 3], payload: payload + [1, 2]), "train-images-idx3-ubyte",
                gzip: true, in: directory)
            expected = .trailingBytes(file: images.path, expectedBytes: 88, actualBytes: 90)
        case "magic":
            try Self.write(
                Data([0, 0, 0x0D, 3]) + Self.idx(rank: 3, dimensions: [6, 4, 3], payload: payload).dropFirst(4),
                "train-images-idx3-ubyte", gzip: true, in: directory)
            expected = .badMagic(file: images.path, found: "00 00 0d 03", expected: "00 00 08 03")
        case "count":
            try Self.write(
                Self.idx(rank: 1, dimensions: [5], payload: [0, 1, 2, 3, 4]), "train-labels-idx1-ubyte", gzip: true,
                in: directory)
            expected = .countMismatch(images: images.path, imageCount: 6, labels: labels.path, labelCount: 5)
        case "label":
            try Self.write(
                Self.idx(rank: 1, dimensions: [6], payload: [0, 1, 2, 12, 4, 5]), "train-labels-idx1-ubyte", gzip: true,
                in: directory)
            expected = .labelOutOfRange(file: labels.path, index: 3, label: 12, classCount: 10)
        case "gzip":
            var bytes = try Data(contentsOf: images)
            bytes[bytes.count / 2] ^= 0xFF
            try bytes.write(to: images)
            // zlib reports the exact failure (a bad code or a CRC mismatch); the test checks the kind and the file.
            #expect { try Self.load(directory) } throws: { error in
                guard case let .brokenCompression(file, _) = error as? DatasetError else { return false }
                return file == images.path
            }
            return
        case "empty":
            expected = .emptyDirectory(directory.path)
        case "missing":
            try FileManager.default.removeItem(at: labels)
            expected = .missingFile(labels.path)
        default:  // "dimensions": test images of another size than the training images
            try Self.write(
                Self.idx(rank: 3, dimensions: [3, 2, 6], payload: Array(payload.prefix(36))), "t10k-images-idx3-ubyte",
                gzip: true, in: directory)
            expected = .badDimensions(
                file: directory.appendingPathComponent("t10k-images-idx3-ubyte.gz").path, found: [3, 2, 6],
                expected: "N×4×3 like the training images")
        }
        #expect(throws: expected) { try Self.load(directory) }
    }

    @Test("the embedded subset loads, is class-balanced and matches its checksums")
    func embeddedSubset() throws {
        let directory = try #require(EmbeddedData.subsetDirectory)
        let splits = try IDXDatasetLoader.load(
            directory: directory, name: "fashion-mnist-small",
            classNames: DatasetCatalog.fashionClassNames, checksums: EmbeddedData.checksums)
        #expect(splits.train.count == 10_000 && splits.test.count == 2_000)
        for label in 0..<10 {
            #expect(splits.train.labels.filter { $0 == label }.count == 1_000)
            #expect(splits.test.labels.filter { $0 == label }.count == 200)
        }
        // Fashion-MNIST's pixel statistics (0.2860 / 0.3530 on the full set) hold on the subset.
        #expect(abs(splits.normalization.mean - 0.286) < 0.01)
        #expect(abs(splits.normalization.standardDeviation - 0.353) < 0.01)
    }

    @Test("a file that does not match its recorded checksum is refused")
    func checksumMismatch() throws {
        let directory = try TestFiles.directory("idx-sum")
        try Self.writeIDX(into: directory)
        let sums = ["train-images-idx3-ubyte.gz": String(repeating: "0", count: 64)]
        #expect {
            try IDXDatasetLoader.load(
                directory: directory.path, name: "x", classNames: DatasetCatalog.digitClassNames, checksums: sums)
        } throws: { "\($0)".contains("does not match the recorded") && "\($0)".contains("train-images-idx3-ubyte.gz") }
    }

    static func cifarRecords(_ labels: [UInt8]) -> Data {
        Data(labels.flatMap { [$0] + (0..<3072).map { UInt8(truncatingIfNeeded: $0) } })
    }

    @Test("CIFAR-10 batches load from the directory or its cifar-10-batches-bin folder; corrupt ones are refused")
    func cifar() throws {
        let root = try TestFiles.directory("cifar")
        let folder = root.appendingPathComponent("cifar-10-batches-bin")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in CIFAR10.trainFiles { try Self.cifarRecords([1, 2]).write(to: folder.appendingPathComponent(name)) }
        try Self.cifarRecords([9]).write(to: folder.appendingPathComponent(CIFAR10.testFile))
        let splits = try CIFAR10.load(directory: root.path)
        #expect(splits.train.count == 10 && splits.test.labels == [9])
        #expect(splits.train.channels == 3 && splits.train.pixels.count == 10 * 3072)
        #expect(splits.train.pixels[3072 + 1024] == UInt8(truncatingIfNeeded: 1024))  // green plane of image 2

        let truncatedPath = folder.appendingPathComponent("data_batch_3.bin")
        try Self.cifarRecords([1, 2]).dropLast(10).write(to: truncatedPath)
        #expect(
            throws: DatasetError.truncated(
                file: truncatedPath.path, expectedBytes: 2 * 3073, actualBytes: 2 * 3073 - 10)
        ) {
            try CIFAR10.load(directory: root.path)
        }
        try Self.cifarRecords([1, 10]).write(to: truncatedPath)
        #expect(throws: DatasetError.labelOutOfRange(file: truncatedPath.path, index: 1, label: 10, classCount: 10)) {
            try CIFAR10.load(directory: root.path)
        }
        let empty = try TestFiles.directory("cifar-empty")
        #expect(throws: DatasetError.emptyDirectory(empty.path)) { try CIFAR10.load(directory: empty.path) }
    }
}

@Suite("IDX headers that cannot be right")
struct IDXHeaderTests {
    @Test(
        "dimensions of 2³¹ (their product overflows) are refused naming the file, not trapped on",
        arguments: [
            [1 << 31, 1 << 31, 1 << 31], [4_000_000_000, 4_000_000_000, 28],
        ])
    func hugeDimensions(dimensions: [Int]) throws {
        let bytes = [UInt8](
            ImageDatasetTests.idx(rank: 3, dimensions: dimensions, payload: Array(repeating: 1, count: 64)))
        let error = #expect(throws: DatasetError.self, "accepted \(dimensions)") {
            try IDXFile(bytes: bytes, file: "big.idx", rank: 3)
        }
        #expect(
            error?.description.hasPrefix("big.idx: dimensions \(dimensions.map(String.init).joined(separator: "×"))")
                == true)
        #expect(error?.description.contains("fits in the file's 64 bytes") == true)
    }

    @Test("large dimensions whose product does not overflow are a truncated file")
    func largeButFinite() throws {
        let bytes = [UInt8](
            ImageDatasetTests.idx(rank: 3, dimensions: [1 << 31, 28, 28], payload: Array(repeating: 1, count: 64)))
        #expect(throws: DatasetError.truncated(file: "big.idx", expectedBytes: 16 + (1 << 31) * 784, actualBytes: 80)) {
            try IDXFile(bytes: bytes, file: "big.idx", rank: 3)
        }
    }
}
