/// Character-level tokens for the translation sets: one token per Unicode scalar (the
/// reference counts characters as Python code points), after four special tokens.
public struct CharacterTokenizer: Sendable, Equatable {
    public static let padding: Int32 = 0
    public static let beginning: Int32 = 1
    public static let end: Int32 = 2
    public static let unknown: Int32 = 3
    static let specialCount = 4

    /// Characters in token order (token = index + 4).
    public let characters: [Unicode.Scalar]
    private let tokens: [Unicode.Scalar: Int32]

    /// A vocabulary of every character in `texts`, sorted by code point so that it does not
    /// depend on the order of the texts.
    public init(texts: some Sequence<String>) {
        var seen = Set<Unicode.Scalar>()
        for text in texts { seen.formUnion(text.unicodeScalars) }
        characters = seen.sorted { $0.value < $1.value }
        tokens = Dictionary(uniqueKeysWithValues: characters.enumerated().map { ($1, Int32($0 + Self.specialCount)) })
    }

    public var vocabularySize: Int { characters.count + Self.specialCount }

    public enum TokenizerError: Error, Equatable, CustomStringConvertible {
        case maximumLengthTooSmall(Int)
        public var description: String {
            switch self {
            case let .maximumLengthTooSmall(length):
                "maximum length \(length) is too small; it must be at least 2 (begin and end tokens)"
            }
        }
    }

    /// BOS, the characters, EOS, then padding to `maximumLength`. Text too long for the
    /// limit is cut so that EOS is always present; `truncated` tells whether that happened.
    public func encode(_ text: String, maximumLength: Int) throws(TokenizerError) -> (tokens: [Int32], truncated: Bool)
    {
        guard maximumLength >= 2 else { throw .maximumLengthTooSmall(maximumLength) }
        var result: [Int32] = [Self.beginning]
        result.reserveCapacity(maximumLength)
        let scalars = Array(text.unicodeScalars)
        let kept = min(scalars.count, maximumLength - 2)
        for scalar in scalars[..<kept] { result.append(tokens[scalar] ?? Self.unknown) }
        result.append(Self.end)
        result.append(contentsOf: repeatElement(Self.padding, count: maximumLength - result.count))
        return (result, kept < scalars.count)
    }

    /// The text up to the first EOS, skipping BOS and padding; unknown tokens become U+FFFD.
    public func decode(_ tokens: some Sequence<Int32>) -> String {
        var scalars = String.UnicodeScalarView()
        for token in tokens {
            if token == Self.end { break }
            if token == Self.beginning || token == Self.padding { continue }
            let index = Int(token) - Self.specialCount
            scalars.append(index >= 0 && index < characters.count ? characters[index] : "\u{FFFD}")
        }
        return String(scalars)
    }
}
