import Kernels

/// Training-step throughput of the reference models of `performance.md` on synthetic data
/// (forward, backward and optimizer step), one thread, median of timed windows.
public struct TrainingBenchmark {
    /// One model to measure: a name, the matching record of `../shared/peer/throughput.py`,
    /// and a factory returning one training step.
    public struct Case: Sendable {
        public let name: String
        public let description: String
        public let peerBench: String
        public let batch: Int
        public let makeStep: @Sendable () -> () -> Void
    }

    public static let batch = 128

    public static let cases: [Case] = [
        Case(name: "mlp", description: "MLP 784-512×4-10, ReLU, SGD momentum", peerBench: "mlp_fwd_bwd_sgd",
             batch: batch, makeStep: { classifierStep(model: MLP(.reference), inputShape: [batch, 784]) }),
        Case(name: "cnn", description: "CNN conv32-pool-conv64-pool-fc128-fc10", peerBench: "cnn_fwd_bwd",
             batch: batch, makeStep: { classifierStep(model: CNN(.reference), inputShape: [batch, 1, 28, 28]) }),
        Case(name: "transformer", description: "transformer d128 h4 2+2 FFN512, 14 tokens, Adam",
             peerBench: "transformer_fwd_bwd_B128_T14", batch: batch, makeStep: { transformerStep() }),
    ]

    /// Random tokens (4…70, no padding) of 14 per side, as the reference benchmark uses.
    static func transformerStep() -> () -> Void {
        let configuration = TransformerConfiguration.reference
        let model = Transformer(configuration)
        var generator = SeededRandom(seed: 2)
        KaimingNormal.apply(to: model.store, using: &generator)
        let length = 14
        func tokens() -> [Int32] { (0..<(batch * length)).map { _ in Int32(4 + generator.next() % UInt64(configuration.vocabulary - 4)) } }
        let source = TokenBatch(tokens: tokens(), batch: batch, length: length)
        let targetInput = TokenBatch(tokens: tokens(), batch: batch, length: length)
        let targetOutput = tokens().map(Int.init)
        let optimizer = Optimizer(.adam(beta1: 0.9, beta2: 0.98, epsilon: 1e-9), clipNorm: 1)
        let loss = SoftmaxCrossEntropy(ignoreIndex: Int(CharacterTokenizer.padding))
        return {
            model.store.zeroGradients()
            let result = loss(logits: model.forward(source: source, targetInput: targetInput, mode: .training), targets: targetOutput)
            model.backward(result.gradient)
            optimizer.step(model.store, learningRate: 1e-7)
        }
    }

    public static var names: [String] { cases.map(\.name) }

    /// A step closure over synthetic inputs and labels for a classifier.
    static func classifierStep(model: some ClassifierModel, inputShape: [Int]) -> () -> Void {
        var generator = SeededRandom(seed: 1)
        KaimingNormal.apply(to: model.store, using: &generator)
        let inputs = Tensor.normal(inputShape, using: &generator)
        let labels = (0..<inputShape[0]).map { _ in Int(generator.next() % 10) }
        // A tiny rate keeps the weights (and so the arithmetic) the same window after window.
        let optimizer = Optimizer(.sgd(momentum: 0.9))
        return {
            _ = ClassifierTraining.step(model: model, inputs: inputs, labels: labels, optimizer: optimizer, learningRate: 1e-6)
        }
    }

    public struct Row: Sendable, Codable {
        public let model: String
        public let samplesPerSecond: Double
        public let millisecondsPerStep: Double
        public let windows: [Double]
    }

    public var windows: Int
    public var windowSeconds: Double

    public init(windows: Int = 5, windowSeconds: Double = 1) {
        self.windows = windows
        self.windowSeconds = windowSeconds
    }

    public func measure(_ benchCase: Case) -> Row {
        FloatingPointMode.enableFlushToZero()
        AllocatorTuning.keepFreedMemory()
        let step = benchCase.makeStep()
        for _ in 0..<3 { step() }
        let rates = (0..<windows).map { _ in Double(benchCase.batch) / GemmBenchmark.time(atLeast: windowSeconds, step) }
        let median = GemmBenchmark.median(rates)
        return Row(model: benchCase.name, samplesPerSecond: median, millisecondsPerStep: 1000 * Double(benchCase.batch) / median, windows: rates)
    }
}
