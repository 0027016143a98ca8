@testable import EmergentCore
import Testing

@Suite("German numbers, tokenizer and batching")
struct TextDatasetTests {
    @Test(
        "known pairs",
        arguments: [
            (0, "null", "zero"), (1, "eins", "one"), (7, "sieben", "seven"), (11, "elf", "eleven"),
            (12, "zwölf", "twelve"), (16, "sechzehn", "sixteen"), (17, "siebzehn", "seventeen"),
            (21, "einundzwanzig", "twenty one"), (30, "dreißig", "thirty"), (31, "einunddreißig", "thirty one"),
            (66, "sechsundsechzig", "sixty six"), (100, "hundert", "one hundred"),
            (101, "hunderteins", "one hundred one"),
            (312, "dreihundertzwölf", "three hundred twelve"), (1000, "tausend", "one thousand"),
            (1001, "tausendeins", "one thousand one"), (21_000, "einundzwanzigtausend", "twenty one thousand"),
            (101_101, "hunderteintausendhunderteins", "one hundred one thousand one hundred one"),
            (
                999_999, "neunhundertneunundneunzigtausendneunhundertneunundneunzig",
                "nine hundred ninety nine thousand nine hundred ninety nine"
            ),
        ])
    func knownPairs(number: Int, german: String, english: String) {
        #expect(GermanNumbers.german(number) == german)
        #expect(GermanNumbers.english(number) == english)
    }

    @Test("German rules: eins only at the end, -ßig only for thirty, units before und, every word distinct")
    func germanRules() {
        var words = Set<String>()
        for number in stride(from: 0, through: 999_999, by: 7) {
            let word = GermanNumbers.german(number)
            words.insert(word)
            if number % 100 == 1 && number != 1 { #expect(word.hasSuffix("eins")) }
            if word.hasSuffix("eins") { #expect(number % 100 == 1) }
            #expect(!word.dropLast(4).contains("eins"))  // "ein" inside a compound
            if word.contains("ßig") { #expect(word.contains("dreißig")) }
            let tens = (number % 100) / 10, units = number % 10
            if tens >= 2 && units > 0 { #expect(word.contains("und")) }
        }
        #expect(words.count == 999_999 / 7 + 1)
    }

    @Test("the split is fixed, disjoint and 90/10")
    func split() {
        let first = GermanNumbers.load()
        #expect(first.train.count == 900_000 && first.test.count == 100_000)
        let trainSources = Set(first.train.map(\.source))
        #expect(first.test.allSatisfy { !trainSources.contains($0.source) })
        let second = GermanNumbers.load()
        #expect(first.test.prefix(100) == second.test.prefix(100))
    }

    @Test("the shuffle is the reference Fisher–Yates over SplitMix64")
    func shuffle() {
        // i = 2: j = r1 mod 3; i = 1: j = r2 mod 2, with r the SplitMix64 outputs of seed 0.
        var mixer = SplitMix64(seed: 0)
        var expected = [0, 1, 2]
        expected.swapAt(2, Int(mixer.next() % 3))
        expected.swapAt(1, Int(mixer.next() % 2))
        #expect(DeterministicSplit.shuffled([0, 1, 2], seed: 0) == expected)
    }

    @Test("tokenizer: specials, round trip, unknowns, padding and truncation")
    func tokenizer() throws {
        let tokenizer = CharacterTokenizer(texts: ["abc", "cab", "ä"])
        #expect(tokenizer.vocabularySize == 4 + 4)
        let (tokens, truncated) = try tokenizer.encode("cab", maximumLength: 8)
        #expect(tokens == [1, 6, 4, 5, 2, 0, 0, 0] && !truncated)
        #expect(tokenizer.decode(tokens) == "cab")
        #expect(try tokenizer.encode("az", maximumLength: 5).tokens == [1, 4, 3, 2, 0])
        let long = try tokenizer.encode("abcabc", maximumLength: 5)
        #expect(long.tokens == [1, 4, 5, 6, 2] && long.truncated)
        #expect(throws: CharacterTokenizer.TokenizerError.maximumLengthTooSmall(1)) {
            try tokenizer.encode("a", maximumLength: 1)
        }
        #expect(tokenizer.decode([1, 7, 2, 4]) == "ä")
    }

    @Test("epoch batches: a permutation per epoch, reproducible, sizes and drop-last")
    func batches() {
        let schedule = EpochBatches(count: 10, batchSize: 4, seed: 3)
        let epoch0 = schedule.batches(epoch: 0)
        #expect(epoch0.map(\.count) == [4, 4, 2])
        #expect(epoch0.flatMap { $0 }.sorted() == Array(0..<10))
        #expect(schedule.permutation(epoch: 0) == EpochBatches(count: 10, batchSize: 4, seed: 3).permutation(epoch: 0))
        #expect(schedule.permutation(epoch: 0) != schedule.permutation(epoch: 1))
        #expect(
            EpochBatches(count: 10, batchSize: 4, seed: 3, dropsLast: true).batches(epoch: 0).map(\.count) == [4, 4])
    }
}
