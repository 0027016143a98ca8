/// Loads a dataset by its catalogue name.
public enum LoadedDataset: Sendable {
    case images(ImageDatasetSplits)
    case translation(TranslationSplits)

    public var summary: String {
        switch self {
        case let .images(splits):
            let n = splits.normalization
            return "\(splits.train.count) train / \(splits.test.count) test images of "
                + "\(splits.train.channels)×\(splits.train.height)×\(splits.train.width), "
                + String(format: "pixel mean %.4f, std %.4f", n.mean, n.standardDeviation)
        case let .translation(splits):
            return "\(splits.train.count) train / \(splits.test.count) test pairs"
        }
    }
}

public enum DatasetLoader {
    /// `name` from `DatasetCatalog.names`; `dataDirectory` for mnist and cifar10, or to
    /// read fashion-mnist from somewhere other than the Debian package.
    public static func load(_ name: String, dataDirectory: String? = nil) throws(DatasetError) -> LoadedDataset {
        switch name {
        case "fashion-mnist-small":
            guard let directory = EmbeddedData.subsetDirectory else {
                throw .unavailable(
                    dataset: name, howToGet: "run from a checkout of Emergent, which holds data/fashion-mnist-small")
            }
            return .images(
                try IDXDatasetLoader.load(
                    directory: directory, name: name, classNames: DatasetCatalog.fashionClassNames,
                    checksums: EmbeddedData.checksums))
        case "fashion-mnist":
            return .images(
                try IDXDatasetLoader.load(
                    directory: dataDirectory ?? DatasetCatalog.fashionMNISTDirectory, name: name,
                    classNames: DatasetCatalog.fashionClassNames))
        case "mnist":
            guard let dataDirectory else {
                throw .unavailable(dataset: name, howToGet: "pass --data-dir DIR holding the four MNIST IDX files")
            }
            return .images(
                try IDXDatasetLoader.load(
                    directory: dataDirectory, name: name, classNames: DatasetCatalog.digitClassNames))
        case "cifar10":
            guard let dataDirectory else {
                throw .unavailable(dataset: name, howToGet: "pass --data-dir DIR holding the CIFAR-10 binary batches")
            }
            return .images(try CIFAR10.load(directory: dataDirectory))
        case "freedict-de-en":
            return .translation(try FreeDict.load(directory: dataDirectory ?? FreeDict.defaultDirectory))
        case "de-en-numbers":
            return .translation(GermanNumbers.load())
        default:
            throw .unknownDataset(name, known: DatasetCatalog.names)
        }
    }
}
