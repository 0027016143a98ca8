/// Sentence pairs as the transformer takes them, every row `length` tokens: the source
/// without BOS, the decoder input BOS + text (EOS turned into padding), and the targets
/// text + EOS, with padding targets ignored by the loss (as the reference).
public struct TranslationBatch: SearchBatch, Equatable {
    public let source: TokenBatch
    public let targetInput: TokenBatch
    public let targetOutput: [Int]

    public init(source: TokenBatch, targetInput: TokenBatch, targetOutput: [Int]) {
        precondition(
            source.batch == targetInput.batch && targetOutput.count == targetInput.tokens.count,
            "translation batch parts disagree")
        self.source = source
        self.targetInput = targetInput
        self.targetOutput = targetOutput
    }

    /// Encodes `pairs`; texts longer than `length − 1` characters are cut (EOS kept).
    public init(pairs: [TranslationPair], tokenizer: CharacterTokenizer, length: Int) {
        precondition(length >= 1, "a translation batch needs length ≥ 1")
        var source: [Int32] = [], targetInput: [Int32] = [], targetOutput: [Int] = []
        for pair in pairs {
            source += try! tokenizer.encode(pair.source, maximumLength: length + 1).tokens.dropFirst()
            let target = try! tokenizer.encode(pair.target, maximumLength: length + 1).tokens
            targetInput += target.prefix(length).map { $0 == CharacterTokenizer.end ? CharacterTokenizer.padding : $0 }
            targetOutput += target.dropFirst().map(Int.init)
        }
        self.init(
            source: TokenBatch(tokens: source, batch: pairs.count, length: length),
            targetInput: TokenBatch(tokens: targetInput, batch: pairs.count, length: length), targetOutput: targetOutput
        )
    }

    /// Uniformly random non-special tokens and targets: MetaInit's data-free batches.
    public static func random(
        count: Int, length: Int, vocabulary: Int, using generator: inout SeededRandom
    ) -> TranslationBatch {
        let ordinary = UInt64(max(vocabulary - CharacterTokenizer.specialCount, 1))
        func draw(_ n: Int) -> [Int32] {
            (0..<n).map { _ in Int32(CharacterTokenizer.specialCount) + Int32(generator.next() % ordinary) }
        }
        let source = draw(count * length), input = draw(count * length), output = draw(count * length).map(Int.init)
        return TranslationBatch(
            source: TokenBatch(tokens: source, batch: count, length: length),
            targetInput: TokenBatch(tokens: input, batch: count, length: length), targetOutput: output)
    }

    public var sampleCount: Int { source.batch }

    public func samples(_ range: Range<Int>) -> TranslationBatch {
        func rows(_ batch: TokenBatch) -> TokenBatch {
            TokenBatch(
                tokens: Array(batch.tokens[(range.lowerBound * batch.length)..<(range.upperBound * batch.length)]),
                batch: range.count, length: batch.length)
        }
        let length = targetInput.length
        return TranslationBatch(
            source: rows(source), targetInput: rows(targetInput),
            targetOutput: Array(targetOutput[(range.lowerBound * length)..<(range.upperBound * length)]))
    }

    public func followed(by other: TranslationBatch) -> TranslationBatch {
        precondition(
            source.length == other.source.length && targetInput.length == other.targetInput.length,
            "joined translation batches must share their lengths")
        func join(_ a: TokenBatch, _ b: TokenBatch) -> TokenBatch {
            TokenBatch(tokens: a.tokens + b.tokens, batch: a.batch + b.batch, length: a.length)
        }
        return TranslationBatch(
            source: join(source, other.source), targetInput: join(targetInput, other.targetInput),
            targetOutput: targetOutput + other.targetOutput)
    }
}
