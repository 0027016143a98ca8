/// The model of a run as an experiment file describes it: the one place a model is
/// described. `build` turns it into layers once the dataset's shapes are known.
public enum ModelConfig: Sendable, Hashable {
    case mlp(hidden: [Int], activation: ActivationKind, batchNorm: Bool, bias: Bool, residual: Bool, dropout: Double)
    case cnn(stages: [[Int]], head: [Int], activation: ActivationKind, batchNorm: Bool, residual: Bool)
    case transformer(TransformerSettings)

    public struct TransformerSettings: Sendable, Hashable {
        public var width = 128, heads = 4, encoderLayers = 2, decoderLayers = 2, feedForward = 512
        public var activation = ActivationKind.relu
        public var preNorm = true, tiedOutput = false
        public var positions = PositionalEncoding.Kind.sinusoidal
        public var dropout = 0.0
        /// Longest sequence, in tokens, counting BOS or EOS; longer texts are cut.
        public var maximumLength = 64

        public init() {}
    }

    public static let kinds = ["mlp", "cnn", "transformer"]

    /// The same model without dropout, which has no parameters: a weights file fits either.
    public var withoutDropout: ModelConfig {
        switch self {
        case let .mlp(hidden, activation, batchNorm, bias, residual, _):
            return .mlp(
                hidden: hidden, activation: activation, batchNorm: batchNorm, bias: bias, residual: residual, dropout: 0)
        case .cnn: return self
        case var .transformer(settings):
            settings.dropout = 0
            return .transformer(settings)
        }
    }

    public var kind: String {
        switch self {
        case .mlp: "mlp"
        case .cnn: "cnn"
        case .transformer: "transformer"
        }
    }

    public var isTransformer: Bool { if case .transformer = self { true } else { false } }

    /// The default experiment's MLP: 784-256×6-10, ReLU.
    public static let standardMLP = ModelConfig.mlp(
        hidden: Array(repeating: 256, count: 6), activation: .relu, batchNorm: false,
        bias: true, residual: false, dropout: 0)

    /// A `model` object as an experiment file writes it (`{"kind": "mlp", "widths": [256]}`).
    public init(parsing value: JSONValue) throws(ExperimentError) {
        var reader = try ConfigReader(value, path: "model")
        self = try Self.read(&reader)
        try reader.finish()
    }

    static func read(_ reader: inout ConfigReader) throws(ExperimentError) -> ModelConfig {
        let kind = try reader.choice("kind", kinds, default: "mlp")
        func activation(_ reader: inout ConfigReader) throws(ExperimentError) -> ActivationKind {
            ActivationKind(name: try reader.choice("activation", ActivationKind.names, default: "relu"))!
        }
        switch kind {
        case "mlp":
            let hidden = try reader.integers("widths", 1...65536, count: 0...1000) ?? Array(repeating: 256, count: 6)
            return .mlp(
                hidden: hidden, activation: try activation(&reader),
                batchNorm: try reader.bool("batch_norm", default: false),
                bias: try reader.bool("bias", default: true), residual: try reader.bool("residual", default: false),
                dropout: try reader.number("dropout", 0...0.99, default: 0))
        case "cnn":
            var stages: [[Int]] = [[32], [64]]
            if let value = reader.value("stages") {
                guard case let .array(items) = value, (1...8).contains(items.count) else {
                    throw .invalid(
                        path: reader.keyPath("stages"),
                        message: "expected 1...8 stages, each a list of channel counts, like [[32], [64]]")
                }
                stages = []
                for (index, item) in items.enumerated() {
                    let path = "\(reader.keyPath("stages"))[\(index)]"
                    guard case let .array(channels) = item, (1...16).contains(channels.count) else {
                        throw .invalid(
                            path: path, message: "expected a list of 1...16 channel counts, found \(item.kind)")
                    }
                    var stage: [Int] = []
                    for (position, channel) in channels.enumerated() {
                        stage.append(try ConfigReader.integer(channel, 1...4096, path: "\(path)[\(position)]"))
                    }
                    stages.append(stage)
                }
            }
            let head = try reader.integers("head", 1...65536, count: 0...16) ?? [128]
            return .cnn(
                stages: stages, head: head, activation: try activation(&reader),
                batchNorm: try reader.bool("batch_norm", default: false),
                residual: try reader.bool("residual", default: false))
        default:
            var t = TransformerSettings()
            t.width = try reader.integer("width", 2...4096, default: t.width)
            t.heads = try reader.integer("heads", 1...64, default: t.heads)
            guard t.width % t.heads == 0 else {
                throw .invalid(
                    path: reader.keyPath("heads"),
                    message: "width \(t.width) is not divisible by \(t.heads) heads; choose heads dividing the width")
            }
            t.encoderLayers = try reader.integer("encoder_layers", 1...48, default: t.encoderLayers)
            t.decoderLayers = try reader.integer("decoder_layers", 1...48, default: t.decoderLayers)
            t.feedForward = try reader.integer("feed_forward", 1...16384, default: t.feedForward)
            t.activation = try activation(&reader)
            t.preNorm = try reader.bool("pre_norm", default: true)
            t.tiedOutput = try reader.bool("tied_output", default: false)
            t.positions =
                try reader.choice("positions", ["sinusoidal", "learned"], default: "sinusoidal") == "learned"
                ? .learned : .sinusoidal
            t.dropout = try reader.number("dropout", 0...0.99, default: 0)
            t.maximumLength = try reader.integer("max_length", 4...512, default: t.maximumLength)
            return .transformer(t)
        }
    }

    /// The `model` object an experiment file would hold for this configuration: parsed back
    /// by `init(parsing:)`, it is this configuration (weights files carry it as their architecture).
    public var document: JSONValue {
        func integers(_ values: [Int]) -> JSONValue { .array(values.map { .number(Double($0), text: String($0)) }) }
        func integer(_ value: Int) -> JSONValue { .number(Double(value), text: String(value)) }
        func activationName(_ kind: ActivationKind) -> JSONValue {
            // Files name a leaky ReLU by its default slope only.
            if case .leakyRelu = kind { return .string("leaky_relu") }
            return .string(kind.description)
        }
        switch self {
        case let .mlp(hidden, activation, batchNorm, bias, residual, dropout):
            return .object([
                ("kind", .string("mlp")), ("widths", integers(hidden)), ("activation", activationName(activation)),
                ("batch_norm", .bool(batchNorm)), ("bias", .bool(bias)), ("residual", .bool(residual)),
                ("dropout", .number(dropout, text: "\(dropout)")),
            ])
        case let .cnn(stages, head, activation, batchNorm, residual):
            return .object([
                ("kind", .string("cnn")), ("stages", .array(stages.map(integers))), ("head", integers(head)),
                ("activation", activationName(activation)), ("batch_norm", .bool(batchNorm)), ("residual", .bool(residual)),
            ])
        case let .transformer(t):
            return .object([
                ("kind", .string("transformer")), ("width", integer(t.width)), ("heads", integer(t.heads)),
                ("encoder_layers", integer(t.encoderLayers)), ("decoder_layers", integer(t.decoderLayers)),
                ("feed_forward", integer(t.feedForward)), ("activation", activationName(t.activation)),
                ("pre_norm", .bool(t.preNorm)), ("tied_output", .bool(t.tiedOutput)),
                ("positions", .string(t.positions == .learned ? "learned" : "sinusoidal")),
                ("dropout", .number(t.dropout, text: "\(t.dropout)")), ("max_length", integer(t.maximumLength)),
            ])
        }
    }

    /// Parameters, counted from the configuration (for the memory check before anything is allocated).
    func parameterCount(inputShape: [Int], classes: Int, vocabulary: Int) -> Int {
        switch self {
        case let .mlp(hidden, _, batchNorm, _, _, _):
            let widths = [inputShape.reduce(1, *)] + hidden + [classes]
            return zip(widths, widths.dropFirst()).reduce(0) { $0 + ($1.0 + 1) * $1.1 }
                + (batchNorm ? 2 * hidden.reduce(0, +) : 0)
        case let .cnn(stages, head, _, batchNorm, _):
            var channels = inputShape.first ?? 1, total = 0, size = inputShape.dropFirst().reduce(1, *)
            for stage in stages {
                for out in stage { total += (channels * 9 + 1) * out + (batchNorm ? 2 * out : 0); channels = out }
                size /= 4
            }
            let widths = [channels * max(size, 1)] + head + [classes]
            return total + zip(widths, widths.dropFirst()).reduce(0) { $0 + ($1.0 + 1) * $1.1 }
        case let .transformer(t):
            let attention = 4 * (t.width + 1) * t.width,
                ffn = (t.width + 1) * t.feedForward + (t.feedForward + 1) * t.width
            let encoder = t.encoderLayers * (attention + ffn + 4 * t.width),
                decoder = t.decoderLayers * (2 * attention + ffn + 6 * t.width)
            return 2 * vocabulary * t.width + encoder + decoder + (t.width + 1) * vocabulary + t.maximumLength * t.width
                * 2
        }
    }

    /// Floats of activations one sample keeps for backward, roughly (for the memory check).
    func activationsPerSample(inputShape: [Int]) -> Int {
        switch self {
        case let .mlp(hidden, _, _, _, _, _):
            return 4 * (hidden.reduce(0, +) + inputShape.reduce(1, *))
        case let .cnn(stages, head, _, _, _):
            var size = inputShape.dropFirst().reduce(1, *), total = inputShape.reduce(1, *)
            for stage in stages {
                for out in stage { total += 14 * out * size }  // output, activation, norm, and the unfolded patches
                size /= 4
            }
            return total + 4 * head.reduce(0, +)
        case let .transformer(t):
            let perToken =
                (t.encoderLayers + 2 * t.decoderLayers) * (12 * t.width + 2 * t.feedForward) + t.heads * t.maximumLength
                * 3
            return perToken * t.maximumLength
        }
    }
}
