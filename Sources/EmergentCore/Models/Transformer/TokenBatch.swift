/// A batch of padded token sequences, row-major [batch, length].
public struct TokenBatch: Sendable, Equatable {
    public let tokens: [Int32]
    public let batch: Int
    public let length: Int

    public init(tokens: [Int32], batch: Int, length: Int) {
        precondition(tokens.count == batch * length, "\(tokens.count) tokens for \(batch)×\(length)")
        self.tokens = tokens
        self.batch = batch
        self.length = length
    }

    /// True where a token is padding.
    public var padding: [Bool] { tokens.map { $0 == CharacterTokenizer.padding } }
}
