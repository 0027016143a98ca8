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
            Scripts/pytorch_throughput.py of this checkout (the same three steps, one thread) and prints the \
            ratios; it needs torch (pip install 'torch==2.13.0+cpu').
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

    @Option(
        help:
            "Rounds (1...20): each measures every model, then PyTorch under --compare; the medians are reported, the ratio's of each round's own pair, so that a machine slowing down between the two does not decide it."
    )
    var rounds = 1

    @Option(help: "The PyTorch reference script (default: Scripts/pytorch_throughput.py of this checkout).")
    var referenceScript: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        do { _ = try TrainingBenchmark.cases(named: models) } catch { throw ValidationError(error.description) }
        guard (1...64).contains(threads) else {
            throw ValidationError("--threads \(threads) is out of range; it must be in 1...64")
        }
        guard (1...20).contains(rounds) else {
            throw ValidationError("--rounds \(rounds) is out of range; it must be in 1...20")
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
        if !json {
            print(
                "training step, batch \(TrainingBenchmark.batch), \(threads == 1 ? "one thread" : "\(threads) threads a product")"
                    + " (median of \(timing.windows) windows"
                    + (rounds > 1 ? "; medians of \(rounds) rounds)" : ")"))
            print(machine.line)
            print(
                "model       what                                    samples/s   ms/step"
                    + (compare ? "   PyTorch    ratio" : "") + (compare && rounds > 1 ? "  (range)" : ""))
        }
        var ours: [[Double]] = Array(repeating: [], count: cases.count)
        var theirs: [[Double]] = Array(repeating: [], count: cases.count)
        var ratios: [[Double]] = Array(repeating: [], count: cases.count)
        for _ in 0..<rounds {
            let peer =
                compare
                ? try PeerThroughput.run(
                    script: referenceScript ?? PeerThroughput.defaultScript, threads: threads,
                    windowSeconds: windowSeconds) : [:]
            for (index, benchCase) in cases.enumerated() {
                let rate = benchmark.measure(benchCase).samplesPerSecond
                ours[index].append(rate)
                if let reference = peer[benchCase.peerBench] {
                    theirs[index].append(reference)
                    ratios[index].append(rate / reference)
                }
            }
        }
        var rows: [[String: Double]] = []
        for (index, benchCase) in cases.enumerated() {
            let rate = GemmBenchmark.median(ours[index])
            var row = ["samples_per_s": rate, "ms_per_step": 1000 * Double(TrainingBenchmark.batch) / rate]
            if !ratios[index].isEmpty {
                row["pytorch_samples_per_s"] = GemmBenchmark.median(theirs[index])
                row["ratio"] = GemmBenchmark.median(ratios[index])
                row["ratio_min"] = ratios[index].min()!
                row["ratio_max"] = ratios[index].max()!
            }
            rows.append(row)
            if !json {
                var line =
                    benchCase.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + benchCase.description.padding(toLength: 40, withPad: " ", startingAt: 0)
                    + String(format: "%9.0f  %8.2f", rate, row["ms_per_step"]!)
                if compare {
                    line +=
                        row["ratio"].map { String(format: "  %9.0f  %6.2f×", row["pytorch_samples_per_s"]!, $0) }
                        ?? "  (no reference)"
                    if rounds > 1, let low = row["ratio_min"], let high = row["ratio_max"] {
                        line += String(format: "  (%.2f–%.2f)", low, high)
                    }
                }
                print(line)
            }
        }
        if json {
            print(
                try JSONOutput.text(
                    Document(
                        threads: threads, rounds: rounds, machine: machine,
                        models: Dictionary(uniqueKeysWithValues: zip(cases.map(\.name), rows)))))
        }
    }

    struct Document: Encodable {
        let benchmark = "train"
        let threads: Int
        let rounds: Int
        let batch = TrainingBenchmark.batch
        let machine: BenchMachine
        /// Each model's samples/s and ms/step, and under --compare PyTorch's, the ratio and
        /// its lowest and highest round (medians over rounds).
        let models: [String: [String: Double]]
    }
}

/// Runs the PyTorch reference script on as many threads as ours and reads its records.
enum PeerThroughput {
    /// `Scripts/pytorch_throughput.py` beside the checkout's `data` folder.
    static var defaultScript: String {
        let root = EmbeddedData.dataDirectory.map { ($0 as NSString).deletingLastPathComponent } ?? "."
        return (root as NSString).appendingPathComponent("Scripts/pytorch_throughput.py")
    }

    static func run(script: String, threads: Int, windowSeconds: Double) throws -> [String: Double] {
        guard FileManager.default.fileExists(atPath: script) else {
            throw ValidationError("--compare: \(script) not found; pass --reference-script")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--threads", String(threads), "--window-s", String(windowSeconds)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError(
                "--compare: the PyTorch reference failed (is torch installed? pip install 'torch==2.13.0+cpu')")
        }
        var rates: [String: Double] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard case let .object(members)? = try? JSONParser.parse(String(line)),
                case let .string(bench)? = members.first(where: { $0.key == "bench" })?.value,
                case let .number(rate, _)? = members.first(where: { $0.key == "samples_per_s" })?.value
            else { continue }
            rates[bench] = rate
        }
        return rates
    }
}
