import EmergentCore
import Foundation

/// `bench train`: each model's windows (beside PyTorch's under `--compare`), as a table and
/// as JSON.
public struct TrainBenchReport {
    public let threads: Int
    public let windows: Int
    public let machine: BenchMachine
    public let compares: Bool

    public init(threads: Int, windows: Int, machine: BenchMachine, compares: Bool) {
        self.threads = threads
        self.windows = windows
        self.machine = machine
        self.compares = compares
    }

    public var header: String {
        [
            "training step, batch \(TrainingBenchmark.batch), \(threads == 1 ? "one thread" : "\(threads) threads a product")"
                + " (median of \(windows) windows" + (compares ? ", each beside a PyTorch window)" : ")"),
            machine.line,
            "model       what                                    samples/s   ms/step"
                + (compares ? "   PyTorch    ratio  (range)" : ""),
        ].joined(separator: "\n")
    }

    /// One model's row: the median of `windows` windows of ours, each followed by one of the
    /// reference's when there is one; the ratio is the median of the pairs' ratios.
    public func measure(
        _ benchCase: TrainingBenchmark.Case, with benchmark: TrainingBenchmark, peer: PeerSession?,
        windowSeconds: Double
    ) throws(UserError) -> [String: Double] {
        let window = benchmark.windowTimer(benchCase)
        var ours: [Double] = [], theirs: [Double] = [], ratios: [Double] = []
        for _ in 0..<windows {
            let rate = window()
            ours.append(rate)
            if let peer {
                let reference = try peer.window(benchCase.peerBench, seconds: windowSeconds)
                theirs.append(reference)
                ratios.append(rate / reference)
            }
        }
        let rate = GemmBenchmark.median(ours)
        var row = ["samples_per_s": rate, "ms_per_step": 1000 * Double(TrainingBenchmark.batch) / rate]
        if !ratios.isEmpty {
            row["pytorch_samples_per_s"] = GemmBenchmark.median(theirs)
            row["ratio"] = GemmBenchmark.median(ratios)
            row["ratio_min"] = ratios.min()!
            row["ratio_max"] = ratios.max()!
        }
        return row
    }

    public func line(_ benchCase: TrainingBenchmark.Case, _ row: [String: Double]) -> String {
        var line =
            benchCase.name.padding(toLength: 12, withPad: " ", startingAt: 0)
            + benchCase.description.padding(toLength: 40, withPad: " ", startingAt: 0)
            + String(format: "%9.0f  %8.2f", row["samples_per_s"] ?? .nan, row["ms_per_step"] ?? .nan)
        if let ratio = row["ratio"], let low = row["ratio_min"], let high = row["ratio_max"] {
            line += String(format: "  %9.0f  %6.2f×  (%.2f–%.2f)", row["pytorch_samples_per_s"]!, ratio, low, high)
        }
        return line
    }

    public struct Document: Encodable {
        let benchmark = "train"
        let threads: Int
        let batch = TrainingBenchmark.batch
        let machine: BenchMachine
        /// Each model's samples/s and ms/step (medians of windows), and under --compare
        /// PyTorch's, the median of the window pairs' ratios and the lowest and highest.
        let models: [String: [String: Double]]
    }

    public func document(_ rows: [(name: String, row: [String: Double])]) -> Document {
        Document(threads: threads, machine: machine, models: Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0.row) }))
    }
}
