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
        try FlagRange.check("--threads", threads, 1...64)
    }

    func run() throws {
        let cases = try TrainingBenchmark.cases(named: models)
        let windowSeconds = timing.seconds(default: 1)
        GemmThreads.current = threads
        let set = try kernel.instructionSet()
        let benchmark = TrainingBenchmark(
            windows: timing.windows, windowSeconds: windowSeconds, gemm: try Gemm(backend: .native(set)))
        let report = TrainBenchReport(
            threads: threads, windows: timing.windows, machine: BenchMachine(instructionSet: set), compares: compare)
        let peer = compare ? try PeerSession(script: referenceScript ?? PeerSession.defaultScript, threads: threads) : nil
        defer { peer?.finish() }
        if !json { print(report.header) }
        var rows: [(name: String, row: [String: Double])] = []
        for benchCase in cases {
            let row = try report.measure(benchCase, with: benchmark, peer: peer, windowSeconds: windowSeconds)
            rows.append((benchCase.name, row))
            if !json { print(report.line(benchCase, row)) }
        }
        if json { print(try JSONOutput.text(report.document(rows))) }
    }
}
