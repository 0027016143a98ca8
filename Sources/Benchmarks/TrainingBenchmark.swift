import EmergentCore
import Kernels

/// Training-step throughput of the reference models of `performance.md` on synthetic data
/// (forward, backward and optimizer step), one thread, median of timed windows.
public struct TrainingBenchmark {
    /// One model to measure: a name, the matching record of the PyTorch reference script
    /// (`Scripts/pytorch_throughput.py`), and a factory returning one training step.
    public struct Case: Sendable {
        public let name: String
        public let description: String
        public let peerBench: String
        public let batch: Int
        /// A training step and a live measurement (probe forward + emergence and layer
        /// statistics) on the same model, its products on the given multiplier.
        public let make: @Sendable (Gemm) -> Workload
    }

    public struct Workload {
        public let step: () -> Void
        public let measure: () -> Void
    }

    /// Samples in the live-measurement probe.
    public static let probeSize = ProbeBatch.defaultSize

    public static let batch = 128

    public static let cases: [Case] = [
        Case(
            name: "mlp", description: "MLP 784-512×4-10, ReLU, SGD momentum", peerBench: "mlp",
            batch: batch, make: { classifierWorkload(model: MLP(.reference, gemm: $0), inputShape: [784]) }),
        Case(
            name: "cnn", description: "CNN conv32-pool-conv64-pool-fc128-fc10", peerBench: "cnn",
            batch: batch, make: { classifierWorkload(model: CNN(.reference, gemm: $0), inputShape: [1, 28, 28]) }),
        Case(
            name: "transformer", description: "transformer d128 h4 2+2 FFN512, 14 tokens, Adam",
            peerBench: "transformer", batch: batch, make: { transformerWorkload(gemm: $0) }),
    ]

    /// Random tokens (4…70, no padding) of 14 per side, as the reference benchmark uses.
    static func transformerWorkload(gemm: Gemm) -> Workload {
        let configuration = TransformerConfiguration.reference
        let model = Transformer(configuration, gemm: gemm)
        var generator = SeededRandom(seed: 2)
        try! InitializerSpec(parsing: "kaiming").apply(to: model, using: &generator)
        let length = 14
        func tokens() -> [Int32] {
            (0..<(batch * length)).map { _ in Int32(4 + generator.next() % UInt64(configuration.vocabulary - 4)) }
        }
        let pairs = TranslationBatch(
            source: TokenBatch(tokens: tokens(), batch: batch, length: length),
            targetInput: TokenBatch(tokens: tokens(), batch: batch, length: length),
            targetOutput: tokens().map(Int.init))
        func probeTokens() -> [Int32] {
            (0..<(probeSize * length)).map { _ in Int32(4 + generator.next() % UInt64(configuration.vocabulary - 4)) }
        }
        let probeSource = TokenBatch(tokens: probeTokens(), batch: probeSize, length: length)
        let probeTarget = TokenBatch(tokens: probeTokens(), batch: probeSize, length: length)
        let map = SignalMap(transformer: model)
        let settings = try! EmergenceSettings()
        let optimizer = Optimizer(.adam(beta1: 0.9, beta2: 0.98, epsilon: 1e-9), clipNorm: 1)
        let loss = SoftmaxCrossEntropy(ignoreIndex: Int(CharacterTokenizer.padding))
        return Workload(
            step: {
                TranslationTraining.step(
                    model: model, batch: pairs, optimizer: optimizer, learningRate: 1e-7, loss: loss)
            },
            measure: {
                _ = model.forward(source: probeSource, targetInput: probeTarget, mode: .probe)
                _ = ModelMeasurement(map: map, store: model.store, settings: settings)
            })
    }

    public static var names: [String] { cases.map(\.name) }

    public struct UnknownModel: Error, CustomStringConvertible {
        public let name: String
        public var description: String {
            "unknown model '\(name)'; choose from: \(TrainingBenchmark.names.joined(separator: ", "))"
        }
    }

    /// The cases named in a comma-separated list, or all of them.
    public static func cases(named list: String?) throws(UnknownModel) -> [Case] {
        guard let list else { return cases }
        var selected: [Case] = []
        for name in list.split(separator: ",") {
            guard let found = cases.first(where: { $0.name == name }) else { throw UnknownModel(name: String(name)) }
            selected.append(found)
        }
        return selected
    }

    /// A training step over synthetic inputs and labels for a classifier, and a live
    /// measurement on a synthetic probe.
    static func classifierWorkload(model: some ClassifierModel & InitTarget, inputShape: [Int]) -> Workload {
        var generator = SeededRandom(seed: 1)
        try! InitializerSpec(parsing: "kaiming").apply(to: model, using: &generator)
        let inputs = Tensor.normal([batch] + inputShape, using: &generator)
        let labels = (0..<batch).map { _ in Int(generator.next() % 10) }
        let probe = Tensor.normal([probeSize] + inputShape, using: &generator)
        // A tiny rate keeps the weights (and so the arithmetic) the same window after window.
        let optimizer = Optimizer(.sgd(momentum: 0.9))
        let map = SignalMap(classifier: model)
        let settings = try! EmergenceSettings()
        return Workload(
            step: {
                _ = ClassifierTraining.step(
                    model: model, inputs: inputs, labels: labels, optimizer: optimizer, learningRate: 1e-6)
            },
            measure: {
                _ = model.forward(probe, mode: .probe)
                _ = ModelMeasurement(map: map, store: model.store, settings: settings)
            })
    }

    public var windows: Int
    public var windowSeconds: Double
    /// Where the models' matrix products run.
    public var gemm: Gemm

    public init(windows: Int = 5, windowSeconds: Double = 1, gemm: Gemm = .best) {
        self.windows = windows
        self.windowSeconds = windowSeconds
        self.gemm = gemm
    }

    /// The case's model, built and warmed up (three steps), and a timer of one window of
    /// its steps that returns samples/s, so that windows can alternate with the reference's.
    public func windowTimer(_ benchCase: Case) -> () -> Double {
        FloatingPointMode.enableFlushToZero()
        AllocatorTuning.keepFreedMemory()
        let step = benchCase.make(gemm).step
        for _ in 0..<3 { step() }
        return { Double(benchCase.batch) / GemmBenchmark.time(atLeast: windowSeconds, step) }
    }

    /// Cost of one live measurement against one training step, timed in alternating windows.
    public struct MeasurementCost: Sendable, Codable {
        public let model: String
        public let stepMilliseconds: Double
        public let measurementMilliseconds: Double
        /// Share of training time at a cadence of one measurement every `cadence` steps.
        public func shareOfTraining(cadence: Int) -> Double {
            measurementMilliseconds / (measurementMilliseconds + Double(cadence) * stepMilliseconds)
        }
    }

    public func measurementCost(_ benchCase: Case) -> MeasurementCost {
        FloatingPointMode.enableFlushToZero()
        AllocatorTuning.keepFreedMemory()
        let workload = benchCase.make(gemm)
        for _ in 0..<3 { workload.step(); workload.measure() }
        var steps: [Double] = [], measurements: [Double] = []
        for _ in 0..<windows {
            steps.append(GemmBenchmark.time(atLeast: windowSeconds, workload.step))
            measurements.append(GemmBenchmark.time(atLeast: windowSeconds, workload.measure))
        }
        return MeasurementCost(
            model: benchCase.name, stepMilliseconds: 1000 * GemmBenchmark.median(steps),
            measurementMilliseconds: 1000 * GemmBenchmark.median(measurements))
    }
}
