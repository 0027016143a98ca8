import ArgumentParser
import Benchmarks
import EmergentCore
import Foundation
import Kernels

struct TrainBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training-step samples/s of the reference models (synthetic data, batch 128, one thread).",
        discussion: """
            Each step is forward, backward and optimizer step. With --compare, also runs the PyTorch reference \
            Scripts/pytorch_throughput.py of this checkout (the same three steps, as many threads) window for \
            window in turn with ours, and prints the median of each pair's ratio with the range: a shared \
            machine that slows down for a few seconds then slows both sides of a pair. It needs torch \
            (pip install 'torch==2.13.0+cpu').
            """)

    @Option(
        help: "Models to measure, comma-separated: \(TrainingBenchmark.names.joined(separator: ", ")) (default: all).")
    var models: String?

    @OptionGroup var timing: TimingOptions

    @OptionGroup var kernel: KernelOption

    @Option(
        help:
            "Threads each matrix product may use (1...64), as a run alone on the machine may; PyTorch gets as many under --compare."
    )
    var threads = 1

    @Flag(help: "Also run the PyTorch reference (Scripts/pytorch_throughput.py) and print ratios.")
    var compare = false

    @Option(help: "The PyTorch reference script (default: Scripts/pytorch_throughput.py of this checkout).")
    var referenceScript: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        do { _ = try TrainingBenchmark.cases(named: models) } catch { throw ValidationError(error.description) }
        guard (1...64).contains(threads) else {
            throw ValidationError("--threads \(threads) is out of range; it must be in 1...64")
        }
    }

    func run() throws {
        let cases = try TrainingBenchmark.cases(named: models)
        let windowSeconds = timing.seconds(default: 1)
        GemmThreads.current = threads
        let set = try kernel.instructionSet()
        let benchmark = TrainingBenchmark(
            windows: timing.windows, windowSeconds: windowSeconds, gemm: try Gemm(backend: .native(set)))
        let machine = BenchMachine(instructionSet: set)
        let peer =
            compare
            ? try PeerSession(script: referenceScript ?? PeerSession.defaultScript, threads: threads) : nil
        defer { peer?.finish() }
        if !json {
            print(
                "training step, batch \(TrainingBenchmark.batch), \(threads == 1 ? "one thread" : "\(threads) threads a product")"
                    + " (median of \(timing.windows) windows" + (compare ? ", each beside a PyTorch window)" : ")"))
            print(machine.line)
            print(
                "model       what                                    samples/s   ms/step"
                    + (compare ? "   PyTorch    ratio  (range)" : ""))
        }
        var rows: [[String: Double]] = []
        for benchCase in cases {
            let window = benchmark.windowTimer(benchCase)
            var ours: [Double] = [], theirs: [Double] = [], ratios: [Double] = []
            for _ in 0..<timing.windows {
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
            rows.append(row)
            if !json {
                var line =
                    benchCase.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + benchCase.description.padding(toLength: 40, withPad: " ", startingAt: 0)
                    + String(format: "%9.0f  %8.2f", rate, row["ms_per_step"]!)
                if let ratio = row["ratio"], let low = row["ratio_min"], let high = row["ratio_max"] {
                    line += String(
                        format: "  %9.0f  %6.2f×  (%.2f–%.2f)", row["pytorch_samples_per_s"]!, ratio, low, high)
                }
                print(line)
            }
        }
        if json {
            print(
                try JSONOutput.text(
                    Document(
                        threads: threads, machine: machine,
                        models: Dictionary(uniqueKeysWithValues: zip(cases.map(\.name), rows)))))
        }
    }

    struct Document: Encodable {
        let benchmark = "train"
        let threads: Int
        let batch = TrainingBenchmark.batch
        let machine: BenchMachine
        /// Each model's samples/s and ms/step (medians of windows), and under --compare
        /// PyTorch's, the median of the window pairs' ratios and the lowest and highest.
        let models: [String: [String: Double]]
    }
}
