/// The transformer's flags of `measure` (`--width`, `--heads`, `--layers`, `--feed-forward`,
/// `--post-norm`), checked and turned into the model they describe.
public struct TransformerModelFlags: Sendable {
    public var width: Int?
    public var heads: Int?
    public var layers: Int?
    public var feedForward: Int?
    public var postNorm: Bool

    public init(width: Int?, heads: Int?, layers: Int?, feedForward: Int?, postNorm: Bool) {
        self.width = width
        self.heads = heads
        self.layers = layers
        self.feedForward = feedForward
        self.postNorm = postNorm
    }

    /// The flags given, by name.
    public var given: [(flag: String, isSet: Bool)] {
        [
            ("--width", width != nil), ("--heads", heads != nil), ("--layers", layers != nil),
            ("--feed-forward", feedForward != nil), ("--post-norm", postNorm),
        ]
    }

    /// The flags fit the model: the transformer's only with the transformer, the MLP and
    /// CNN's (`classifierFlags`) only without it; each value in its range, and a width the
    /// heads divide.
    public func check(model kind: String, classifierFlags: [(flag: String, isSet: Bool)]) throws(UserError) {
        if kind == "transformer", let option = classifierFlags.first(where: \.isSet) {
            throw UserError(
                "\(option.flag) is not an option of the transformer; its options are --width, --heads, --layers, --feed-forward, --post-norm"
            )
        }
        if kind != "transformer", let option = given.first(where: \.isSet) {
            throw UserError(
                "\(option.flag) is an option of the transformer only; the \(kind)'s options are --widths, --activation, --batch-norm, --residual"
            )
        }
        for (name, value, range) in [
            ("--width", width, 2...4096), ("--heads", heads, 1...64), ("--layers", layers, 1...48),
            ("--feed-forward", feedForward, 1...16384),
        ] {
            if let value, !range.contains(value) {
                throw UserError("\(name) \(value) is out of range; it must be in \(range)")
            }
        }
        let defaults = ModelConfig.TransformerSettings()
        let (effectiveWidth, effectiveHeads) = (width ?? defaults.width, heads ?? defaults.heads)
        if effectiveWidth % effectiveHeads != 0 {
            throw UserError(
                "--width \(effectiveWidth) must be divisible by --heads \(effectiveHeads)"
                    + (width == nil || heads == nil
                        ? " (the default width is \(defaults.width) and heads \(defaults.heads))" : ""))
        }
    }

    public var model: ModelConfig {
        var settings = ModelConfig.TransformerSettings()
        settings.width = width ?? settings.width
        settings.heads = heads ?? settings.heads
        settings.encoderLayers = layers ?? settings.encoderLayers
        settings.decoderLayers = layers ?? settings.decoderLayers
        settings.feedForward = feedForward ?? settings.feedForward
        settings.preNorm = !postNorm
        return .transformer(settings)
    }
}
