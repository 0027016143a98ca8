/// Everything that can be wrong with a dataset on disk, each naming the file and what is
/// wrong in words a user can act on. Loaders validate completely before returning, so a
/// failure never leaves a half-loaded dataset behind.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    case missingFile(String)
    case unreadable(file: String, reason: String)
    case emptyDirectory(String)
    case truncated(file: String, expectedBytes: Int, actualBytes: Int)
    case trailingBytes(file: String, expectedBytes: Int, actualBytes: Int)
    case badMagic(file: String, found: String, expected: String)
    case badDimensions(file: String, found: [Int], expected: String)
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    case labelOutOfRange(file: String, index: Int, label: Int, classCount: Int)
    case brokenCompression(file: String, reason: String)
    case checksumMismatch(file: String, expected: String, actual: String)
    case badIndexLine(file: String, line: Int, reason: String)
    case entryOutOfBounds(file: String, line: Int, offset: Int, length: Int, dataSize: Int)
    case notUTF8(file: String, location: String)
    case unknownDataset(String, known: [String])
    case unavailable(dataset: String, howToGet: String)

    public var description: String {
        switch self {
        case let .missingFile(path):
            "\(path): no such file"
        case let .unreadable(file, reason):
            "\(file): cannot be read (\(reason))"
        case let .emptyDirectory(path):
            "\(path): the directory holds none of the expected dataset files"
        case let .truncated(file, expected, actual):
            "\(file): truncated: expected \(expected) bytes, found \(actual)"
        case let .trailingBytes(file, expected, actual):
            "\(file): \(actual - expected) unexpected bytes after the \(expected) the header announces"
        case let .badMagic(file, found, expected):
            "\(file): wrong magic number \(found), expected \(expected)"
        case let .badDimensions(file, found, expected):
            "\(file): dimensions \(found.map(String.init).joined(separator: "×")), expected \(expected)"
        case let .countMismatch(images, imageCount, labels, labelCount):
            "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case let .labelOutOfRange(file, index, label, classCount):
            "\(file): label \(label) of item \(index) is out of range 0...\(classCount - 1)"
        case let .brokenCompression(file, reason):
            "\(file): broken gzip stream (\(reason))"
        case let .checksumMismatch(file, expected, actual):
            "\(file): SHA-256 \(actual) does not match the recorded \(expected); the file is corrupt or was changed"
        case let .badIndexLine(file, line, reason):
            "\(file):\(line): \(reason)"
        case let .entryOutOfBounds(file, line, offset, length, dataSize):
            "\(file):\(line): entry at offset \(offset) with length \(length) runs past the end of the \(dataSize)-byte dictionary"
        case let .notUTF8(file, location):
            "\(file): text at \(location) is not valid UTF-8"
        case let .unknownDataset(name, known):
            "unknown dataset '\(name)'; choose one of: \(known.joined(separator: ", "))"
        case let .unavailable(dataset, howToGet):
            "dataset '\(dataset)' is not available here; \(howToGet)"
        }
    }
}
