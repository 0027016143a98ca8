@testable import EmergentCore
import Foundation
import Testing

@Suite("FreeDict dictd reader")
struct FreeDictTests {
    @Test("dictd base-64 numbers decode big-endian; invalid digits name the line")
    func base64() throws {
        #expect(try DictdIndex.decodeNumber("A", file: "f", line: 1) == 0)
        #expect(try DictdIndex.decodeNumber("BA", file: "f", line: 1) == 64)
        #expect(try DictdIndex.decodeNumber("c3Q", file: "f", line: 1) == (28 * 64 + 55) * 64 + 16)
        #expect(throws: DatasetError.badIndexLine(file: "f", line: 7, reason: "invalid base-64 digit '*' in 'A*B'")) {
            try DictdIndex.decodeNumber("A*B", file: "f", line: 7)
        }
    }

    @Test("cleaning follows the reference: grammar tags, IPA, brackets, first item, case")
    func cleaning() {
        func pair(_ text: String) -> [String]? {
            HeadwordCleaning.parseEntry(Array(text.unicodeScalars)).map {
                [String(String.UnicodeScalarView($0.0)), String(String.UnicodeScalarView($0.1))]
            }
        }
        #expect(pair("Haus /haʊs/ <n>\nhouse <n>, home\n") == ["haus", "house"])
        #expect(pair("Abfahrt {f} [Sport]\ndeparture (of a train); start\n") == ["abfahrt", "departure"])
        #expect(pair("Wort\n   see: Begriff\n") == nil)
        #expect(pair("Wort\n  Synonym: x\n") == nil)
        #expect(pair("Einzeiler") == nil)
        #expect(pair("Äpfel (pl)\n  (fruit, red) apples, pears\n") == ["äpfel", "apples"])
        #expect(pair("A [[nested] x]\nB <a <b> c>\n") == ["a", "b"])
    }

    /// Writes an index and a gzipped dictionary into a fresh directory.
    static func writeDictionary(index: String, dictionary: String, gzip: Bool = true) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freedict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(index.utf8).write(to: directory.appendingPathComponent(FreeDict.indexName))
        let body = Data(dictionary.utf8)
        try (gzip ? try TestFiles.gzip(body) : body).write(
            to: directory.appendingPathComponent(FreeDict.dictionaryName))
        return directory.path
    }

    @Test("a small dictionary: shared spans, duplicates, metadata and filters")
    func smallDictionary() throws {
        let entries = ["Haus <n>\nhouse\n", "Baum\ntree, wood\n", "Haus\ndwelling\n", "Kot…\nmud\n"]
        var offset = 0
        var index = "00-database-info\tA\tB\n"
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        func b64(_ value: Int) -> String {
            value < 64 ? String(letters[value]) : b64(value / 64) + String(letters[value % 64])
        }
        for (number, entry) in entries.enumerated() {
            index += "w\(number)\t\(b64(offset))\t\(b64(entry.utf8.count))\n"
            if number == 1 { index += "alias\t\(b64(offset))\t\(b64(entry.utf8.count))\n" }
            offset += entry.utf8.count
        }
        let directory = try Self.writeDictionary(index: index, dictionary: entries.joined())
        let (pairs, statistics) = try FreeDict.pairs(in: directory)
        #expect(
            pairs == [
                TranslationPair(source: "haus", target: "house"), TranslationPair(source: "baum", target: "tree"),
            ])
        #expect(statistics.indexLines == 6 && statistics.entries == 4 && statistics.droppedCharacterSet == 1)
    }

    @Test("an entry past the end of the dictionary names the index line")
    func pastTheEnd() throws {
        let directory = try Self.writeDictionary(index: "Haus\tA\tBA\n", dictionary: "Haus\nhouse\n")
        #expect(
            throws: DatasetError.entryOutOfBounds(
                file: (directory as NSString).appendingPathComponent(FreeDict.indexName), line: 1, offset: 0,
                length: 64, dataSize: 11)
        ) {
            try FreeDict.pairs(in: directory)
        }
    }

    @Test("invalid base 64, non-UTF-8 text and a broken gzip stream are errors naming the file")
    func corruptFiles() throws {
        let badDigit = try Self.writeDictionary(index: "Haus\tA\tL!\n", dictionary: "Haus\nhouse\n")
        #expect { try FreeDict.pairs(in: badDigit) } throws: {
            "\($0)".contains("invalid base-64 digit '!'") && "\($0)".contains(":1:")
        }

        let badText = try Self.writeDictionary(index: "Haus\tA\tL\n", dictionary: "Haus\nhouse\n")
        let dictionaryPath = (badText as NSString).appendingPathComponent(FreeDict.dictionaryName)
        try TestFiles.gzip(Data([0x48, 0xC3, 0x28, 0x0A, 0x68, 0x0A, 0x0A, 0x0A, 0x0A, 0x0A, 0x0A])).write(
            to: URL(fileURLWithPath: dictionaryPath))
        #expect { try FreeDict.pairs(in: badText) } throws: {
            "\($0)".contains("not valid UTF-8") && "\($0)".contains(dictionaryPath)
        }

        let broken = try Self.writeDictionary(index: "Haus\tA\tL\n", dictionary: "Haus\nhouse\n")
        let brokenPath = (broken as NSString).appendingPathComponent(FreeDict.dictionaryName)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: brokenPath))
        bytes = bytes.prefix(bytes.count - 6)
        try bytes.write(to: URL(fileURLWithPath: brokenPath))
        #expect { try FreeDict.pairs(in: broken) } throws: {
            "\($0)".contains("broken gzip stream") && "\($0)".contains(brokenPath)
        }

        let badIndexUTF8 = try Self.writeDictionary(index: "Haus\tA\tL\n", dictionary: "Haus\nhouse\n")
        try Data([0x48, 0x0A, 0xFF, 0x09, 0x41, 0x09, 0x4C, 0x0A]).write(
            to: URL(fileURLWithPath: (badIndexUTF8 as NSString).appendingPathComponent(FreeDict.indexName)))
        #expect { try FreeDict.pairs(in: badIndexUTF8) } throws: { "\($0)".contains("line 2 is not valid UTF-8") }
    }

    /// The installed Debian dictionary must give the reference split bit for bit (`.ci/run`
    /// installs it). Where it is not installed, loading must fail cleanly, naming the file.
    @Test("the Debian dictionary gives the reference counts and split digests")
    func referenceSplit() throws {
        guard FreeDict.isAvailable() else {
            #expect(throws: DatasetError.missingFile("/usr/share/dictd/freedict-deu-eng.index")) { try FreeDict.load() }
            return
        }
        let (pairs, statistics) = try FreeDict.pairs()
        #expect(
            statistics
                == FreeDict.Statistics(
                    indexLines: 519_423, entries: 517_534, entriesWithTranslation: 517_501,
                    withinLength: 456_392, droppedCharacterSet: 2_913, uniqueGerman: 325_058))
        #expect(TranslationSplits.digest(pairs) == "f5acd8543d420d4f304f31838e86b25c45b9179543eb0f7eb24ebe00d8f52cf7")
        let split = DeterministicSplit.split(pairs, seed: FreeDict.seed, trainFraction: FreeDict.trainFraction)
        #expect(split.train.count == 292_552 && split.test.count == 32_506)
        #expect(
            TranslationSplits.digest(split.train) == "287e171b8a75f1f5f1dab0332d5084105285f72e26f21ce98a646ee4478dd941")
        #expect(
            TranslationSplits.digest(split.test) == "97b7a5e23d780dcf690754d26931af66343a142fef9a7633ad26adc25e34b68d")
    }
}
