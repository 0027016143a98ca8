import Foundation

/// German→English headword pairs from the FreeDict dictionary in dictd format (Debian
/// `dict-freedict-deu-eng`), extracted, cleaned and split exactly as
/// the PyTorch reference's `freedict_pairs.py` does, so both produce the same split digests.
public enum FreeDict {
    public static let defaultDirectory = "/usr/share/dictd"
    public static let indexName = "freedict-deu-eng.index"
    public static let dictionaryName = "freedict-deu-eng.dict.dz"
    public static let maximumLength = 24
    public static let seed: UInt64 = 20_240_607
    public static let trainFraction = 0.9

    /// Counts at each stage, as the reference prints them.
    public struct Statistics: Sendable, Equatable {
        public var indexLines = 0
        public var entries = 0
        public var entriesWithTranslation = 0
        public var withinLength = 0
        public var droppedCharacterSet = 0
        public var uniqueGerman = 0
    }

    public static func isAvailable(in directory: String = defaultDirectory) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: (directory as NSString).appendingPathComponent(indexName))
            && manager.fileExists(atPath: (directory as NSString).appendingPathComponent(dictionaryName))
    }

    /// The cleaned, de-duplicated pairs in file order.
    public static func pairs(
        in directory: String = defaultDirectory
    ) throws(DatasetError) -> (pairs: [TranslationPair], statistics: Statistics) {
        let indexPath = (directory as NSString).appendingPathComponent(indexName)
        let dictionaryPath = (directory as NSString).appendingPathComponent(dictionaryName)
        let index = try DictdIndex.parse(try FileBytes.read(indexPath), file: indexPath)
        let data = try FileBytes.readMaybeGzipped(dictionaryPath)

        var statistics = Statistics()
        statistics.indexLines = index.lineCount
        // Several headwords can share an entry: distinct spans, sorted into file order.
        var seenSpans = Set<SIMD2<Int>>()
        var ordered: [DictdIndex.Entry] = []
        for entry in index.entries
        where !entry.headword.hasPrefix("00-database") && !entry.headword.hasPrefix("00database") {
            guard entry.offset + entry.length <= data.count else {
                throw .entryOutOfBounds(
                    file: indexPath, line: entry.line, offset: entry.offset,
                    length: entry.length, dataSize: data.count)
            }
            if seenSpans.insert(SIMD2(entry.offset, entry.length)).inserted {
                ordered.append(entry)
            }
        }
        ordered.sort { ($0.offset, $0.length) < ($1.offset, $1.length) }
        statistics.entries = ordered.count

        var seenGerman = Set<[UInt8]>()
        var pairs: [TranslationPair] = []
        for entry in ordered {
            let bytes = data[entry.offset..<(entry.offset + entry.length)]
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .notUTF8(
                    file: dictionaryPath,
                    location: "entry '\(entry.headword)' (offset \(entry.offset), index line \(entry.line))")
            }
            guard let (german, english) = HeadwordCleaning.parseEntry(Array(text.unicodeScalars)) else { continue }
            statistics.entriesWithTranslation += 1
            guard (1...maximumLength).contains(german.count) && (1...maximumLength).contains(english.count) else {
                continue
            }
            guard
                german.allSatisfy(HeadwordCleaning.allowed.contains)
                    && english.allSatisfy(HeadwordCleaning.allowed.contains)
            else {
                statistics.droppedCharacterSet += 1
                continue
            }
            statistics.withinLength += 1
            let germanText = String(String.UnicodeScalarView(german))
            guard seenGerman.insert(Array(germanText.utf8)).inserted else { continue }
            pairs.append(TranslationPair(source: germanText, target: String(String.UnicodeScalarView(english))))
        }
        statistics.uniqueGerman = pairs.count
        return (pairs, statistics)
    }

    /// The reference train/test split.
    public static func load(directory: String = defaultDirectory) throws(DatasetError) -> TranslationSplits {
        let all = try pairs(in: directory).pairs
        let (train, test) = DeterministicSplit.split(all, seed: seed, trainFraction: trainFraction)
        return TranslationSplits(name: "freedict-de-en", train: train, test: test)
    }
}
