import Foundation

/// How much memory runs that live at once will take, counted from their configurations
/// before anything is allocated or loaded: each run's parameters, gradients and optimizer
/// moments, its activations at its batch size (plus the probe batch), and its histories,
/// with the dataset once. Every run of an experiment stays in memory while it lives (a
/// paused or queued run keeps its model), so the estimate is their sum, checked against the
/// memory the system has available.
public struct MemoryEstimate: Sendable, Equatable {
    public let bytes: Double
    public let runs: Int

    /// What one run keeps beside its tensors: histories of every metric and layer statistic
    /// (decimated, so bounded) and its snapshot. Measured at under 8 MiB for the largest presets.
    static let historyBytes = 8.0 * 1_048_576
    /// A translation vocabulary is known only once the text is read; characters of the
    /// shipped sets stay well under this.
    static let vocabularyBound = 512

    public init(bytes: Double, runs: Int) {
        self.bytes = bytes
        self.runs = runs
    }

    /// The estimate for `runs` on `dataset` (by name, before it is loaded), with `probe`
    /// samples in each run's probe batch; `includingData` adds the dataset's own bytes.
    public init(runs: [RunConfig], dataset: String, probe: Int, includingData: Bool = true) {
        let shape = Self.inputShape(of: dataset)
        var total = includingData ? Self.dataBytes(of: dataset) : 0
        for run in runs {
            let model = run.settings.model
            let parameters = Double(
                model.parameterCount(inputShape: shape.input, classes: shape.classes, vocabulary: Self.vocabularyBound))
            let activations =
                Double(run.settings.batchSize + probe) * Double(model.activationsPerSample(inputShape: shape.input))
            // Parameters, gradients and two optimizer moments, and the activations, in floats.
            total += 4 * (4 * parameters + activations) + Self.historyBytes
        }
        self.init(bytes: total, runs: runs.count)
    }

    /// Refuses runs that would not fit in the memory available now, naming both figures;
    /// `what` says what would be started (`12 runs`, `the new run`).
    public func check(what: String, available: Double = MemoryEstimate.availableBytes()) throws(ExperimentError) {
        guard bytes > available else { return }
        throw .incompatible(
            "\(what) need\(runs == 1 ? "s" : "") about \(Self.gibibytes(bytes)) of memory (parameters, gradients, "
                + "optimizer state, activations at the batch size and histories), "
                + "and \(Self.gibibytes(available)) is available; use fewer or smaller runs (--seeds, model widths, "
                + "batch_size), or stop other programs")
    }

    /// `MemAvailable` of /proc/meminfo (memory the system can give without swapping), else
    /// the machine's physical memory.
    public static func availableBytes() -> Double {
        if let text = try? TextFile.read("/proc/meminfo", limit: 1 << 16).get(),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
            let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        {
            return kibibytes * 1024
        }
        return Double(ProcessInfo.processInfo.physicalMemory)
    }

    static func gibibytes(_ bytes: Double) -> String { String(format: "%.1f GiB", bytes / 1_073_741_824) }

    /// The shapes a model is built for, by dataset name.
    static func inputShape(of dataset: String) -> (input: [Int], classes: Int) {
        switch dataset {
        case "cifar10": ([3, 32, 32], 10)
        case _ where DatasetCatalog.translationNames.contains(dataset): ([1], vocabularyBound)
        default: ([1, 28, 28], 10)
        }
    }

    /// The dataset's training and test items as bytes in memory (pixels as floats).
    static func dataBytes(of dataset: String) -> Double {
        switch dataset {
        case "fashion-mnist-small": 12_000 * 784 * 4
        case "fashion-mnist", "mnist": 70_000 * 784 * 4
        case "cifar10": 60_000 * 3072 * 4
        default: 64 * 1_048_576
        }
    }
}
