/// What a user sets for the encoder–decoder transformer (product spec §3).
public struct TransformerConfiguration: Sendable, Hashable, Codable {
    public var vocabulary: Int
    public var width: Int
    public var heads: Int
    public var encoderLayers: Int
    public var decoderLayers: Int
    public var feedForward: Int
    /// The feed-forward block's nonlinearity.
    public var feedForwardActivation: ActivationKind
    /// Pre-LN (x + f(LN(x)), final LayerNorms on both stacks) or post-LN (LN(x + f(x))).
    public var preNorm: Bool
    /// The output projection reuses the target embedding table (plus its own bias).
    public var tiedOutput: Bool
    public var positions: PositionalEncoding.Kind
    public var maximumLength: Int
    /// Dropout on the embeddings and on every sub-block's output before the residual add.
    public var dropout: Float
    /// Seeds the dropout masks.
    public var seed: UInt64

    /// The reference model of performance.md (vocabulary: FreeDict's 71 tokens).
    public static let reference = TransformerConfiguration(vocabulary: 71)

    public init(
        vocabulary: Int, width: Int = 128, heads: Int = 4, encoderLayers: Int = 2, decoderLayers: Int = 2,
        feedForward: Int = 512, feedForwardActivation: ActivationKind = .relu, preNorm: Bool = true,
        tiedOutput: Bool = false,
        positions: PositionalEncoding.Kind = .sinusoidal, maximumLength: Int = 32, dropout: Float = 0, seed: UInt64 = 0
    ) {
        precondition(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got \(dropout)")
        self.vocabulary = vocabulary
        self.width = width
        self.heads = heads
        self.encoderLayers = encoderLayers
        self.decoderLayers = decoderLayers
        self.feedForward = feedForward
        self.feedForwardActivation = feedForwardActivation
        self.preNorm = preNorm
        self.tiedOutput = tiedOutput
        self.positions = positions
        self.maximumLength = maximumLength
        self.dropout = dropout
        self.seed = seed
    }
}
