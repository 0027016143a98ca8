import Foundation

/// Every dataset Emergent knows, where each would come from on this machine, and how to get
/// a missing one: what `emergent datasets` prints.
public struct DatasetCatalog: Sendable {
    /// A directory the user named with `--data-dir` (MNIST or CIFAR-10 files).
    public let userDirectory: String?

    public init(userDirectory: String? = nil) { self.userDirectory = userDirectory }

    public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"
    public static let fashionClassNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]
    public static let digitClassNames = (0...9).map(String.init)

    public struct Entry: Sendable, Codable, Equatable {
        public let name: String
        public let kind: String
        public let available: Bool
        /// Where the data is read from, when available.
        public let location: String?
        public let source: String
        /// Training and test items, where known without reading the data.
        public let trainItems: Int?
        public let testItems: Int?
        /// Bytes on disk, when available.
        public let bytesOnDisk: Int?
        /// What to do when it is not available.
        public let howToGet: String?
    }

    public static let names = [
        "fashion-mnist-small", "fashion-mnist", "mnist", "cifar10", "freedict-de-en", "de-en-numbers",
    ]
    /// The translation sets among `names`; the others hold labelled images.
    public static let translationNames: Set = ["freedict-de-en", "de-en-numbers"]

    public func entries() -> [Entry] {
        let embedded = EmbeddedData.subsetDirectory
        let mnistDirectory = userDirectory.flatMap { directory in
            IDXDatasetLoader.fileNames.allSatisfy { IDXDatasetLoader.locate($0, in: directory) != nil }
                ? directory : nil
        }
        let cifarDirectory = userDirectory.flatMap { CIFAR10.batchDirectory($0) }
        let fashionInstalled = IDXDatasetLoader.fileNames.allSatisfy {
            IDXDatasetLoader.locate($0, in: Self.fashionMNISTDirectory) != nil
        }
        let dataDirHint = "--data-dir DIR"
        return [
            Entry(
                name: "fashion-mnist-small", kind: "images 28×28×1, 10 classes", available: embedded != nil,
                location: embedded, source: "Fashion-MNIST subset shipped in data/ (MIT, Zalando SE)",
                trainItems: 10_000, testItems: 2_000, bytesOnDisk: embedded.map { Self.size($0) },
                howToGet: embedded == nil
                    ? "run from a checkout of Emergent, which holds data/fashion-mnist-small" : nil),
            Entry(
                name: "fashion-mnist", kind: "images 28×28×1, 10 classes", available: fashionInstalled,
                location: fashionInstalled ? Self.fashionMNISTDirectory : nil,
                source: "Debian package dataset-fashion-mnist (MIT, Zalando SE)",
                trainItems: 60_000, testItems: 10_000,
                bytesOnDisk: fashionInstalled ? Self.size(Self.fashionMNISTDirectory) : nil,
                howToGet: fashionInstalled
                    ? nil : "apt-get install dataset-fashion-mnist, or \(dataDirHint) holding its IDX files"),
            Entry(
                name: "mnist", kind: "images 28×28×1, 10 classes", available: mnistDirectory != nil,
                location: mnistDirectory,
                source: "IDX files you provide (train-images-idx3-ubyte[.gz] and the other three)",
                trainItems: nil, testItems: nil, bytesOnDisk: mnistDirectory.map { Self.size($0) },
                howToGet: mnistDirectory == nil ? "\(dataDirHint) with the four MNIST IDX files" : nil),
            Entry(
                name: "cifar10", kind: "images 32×32×3, 10 classes", available: cifarDirectory != nil,
                location: cifarDirectory, source: "CIFAR-10 binary batches you provide (cifar-10-batches-bin)",
                trainItems: cifarDirectory.map { Self.size($0, only: CIFAR10.trainFiles) / CIFAR10.recordSize },
                testItems: cifarDirectory.map { Self.size($0, only: [CIFAR10.testFile]) / CIFAR10.recordSize },
                bytesOnDisk: cifarDirectory.map { Self.size($0) },
                howToGet: cifarDirectory == nil ? "\(dataDirHint) holding data_batch_1.bin … test_batch.bin" : nil),
            Entry(
                name: "freedict-de-en", kind: "German→English headwords", available: FreeDict.isAvailable(),
                location: FreeDict.isAvailable() ? FreeDict.defaultDirectory : nil,
                source:
                    "Debian package dict-freedict-deu-eng (GPL-3+), headwords cleaned and split 90/10 by a fixed seed",
                trainItems: 292_552, testItems: 32_506,
                bytesOnDisk: FreeDict.isAvailable()
                    ? Self.size(FreeDict.defaultDirectory, only: [FreeDict.indexName, FreeDict.dictionaryName]) : nil,
                howToGet: FreeDict.isAvailable() ? nil : "apt-get install dict-freedict-deu-eng"),
            Entry(
                name: "de-en-numbers", kind: "German→English number words", available: true, location: "generated",
                source: "generated in code: 0…999,999", trainItems: 900_000, testItems: 100_000,
                bytesOnDisk: nil, howToGet: nil),
        ]
    }

    /// Total size of the regular files in `directory` (only the named ones, when given).
    static func size(_ directory: String, only names: [String]? = nil) -> Int {
        let files = names ?? ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        return files.reduce(0) { total, name in
            let attributes = try? FileManager.default.attributesOfItem(
                atPath: (directory as NSString).appendingPathComponent(name))
            return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
    }
}
