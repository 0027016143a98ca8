import Kernels
/// A source→target text pair for character-level translation.
public struct TranslationPair: Sendable, Hashable, Codable {
    public let source: String
    public let target: String

    public init(source: String, target: String) {
        self.source = source
        self.target = target
    }
}

/// A translation dataset's two splits.
public struct TranslationSplits: Sendable {
    public let name: String
    public let train: [TranslationPair]
    public let test: [TranslationPair]

    /// SHA-256 of `source \t target \n` for every pair, in order: the digest the peer README
    /// records for the FreeDict split.
    public static func digest(_ pairs: [TranslationPair]) -> String {
        var hasher = SHA256()
        for pair in pairs { hasher.update(Array("\(pair.source)\t\(pair.target)\n".utf8)) }
        return hasher.finalizeHex()
    }
}
