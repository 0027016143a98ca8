import ArgumentParser
import EmergentCore
import Foundation

struct TrainBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training-step samples/s of the reference models (synthetic data, batch 128, one thread).",
        discussion: """
            Each step is forward, backward and optimizer step. With --compare, also runs \
            ../shared/peer/throughput.py --threads 1 when PyTorch is importable and prints the ratios \
            (PyTorch's CNN and transformer records are forward+backward only, so those ratios understate ours).
            """)

    @Option(help: "Models to measure, comma-separated: \(TrainingBenchmark.names.joined(separator: ", ")) (default: all).")
    var models: String?

    @OptionGroup var timing: TimingOptions

    @Flag(help: "Also run the PyTorch reference (../shared/peer/throughput.py) and print ratios.")
    var compare = false

    @Option(help: "Folder of the PyTorch reference scripts.")
    var peerDirectory = "../shared/peer"

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        do { _ = try TrainingBenchmark.cases(named: models) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let cases = try TrainingBenchmark.cases(named: models)
        let windowSeconds = timing.seconds(default: 1)
        let benchmark = TrainingBenchmark(windows: timing.windows, windowSeconds: windowSeconds)
        var peer: [String: Double] = [:]
        if compare { peer = try PeerThroughput.run(directory: peerDirectory, windowSeconds: windowSeconds) }
        if !json { print("training step, batch \(TrainingBenchmark.batch), one thread (median of \(timing.windows) windows)") }
        if !json { print("model       what                                    samples/s   ms/step" + (compare ? "   PyTorch    ratio" : "")) }
        var rows: [[String: Double]] = []
        for benchCase in cases {
            let row = benchmark.measure(benchCase)
            let reference = peer[benchCase.peerBench]
            rows.append(["samples_per_s": row.samplesPerSecond, "ms_per_step": row.millisecondsPerStep]
                .merging(reference.map { ["pytorch_samples_per_s": $0, "ratio": row.samplesPerSecond / $0] } ?? [:]) { $1 })
            if !json {
                var line = benchCase.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + benchCase.description.padding(toLength: 40, withPad: " ", startingAt: 0)
                    + String(format: "%9.0f  %8.2f", row.samplesPerSecond, row.millisecondsPerStep)
                if compare {
                    line += reference.map { String(format: "  %9.0f  %6.2f×", $0, row.samplesPerSecond / $0) } ?? "  (no reference)"
                }
                print(line)
            }
        }
        if json {
            let document = Dictionary(uniqueKeysWithValues: zip(cases.map(\.name), rows))
            let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

/// Runs the PyTorch throughput script on one thread and reads its records.
enum PeerThroughput {
    static func run(directory: String, windowSeconds: Double) throws -> [String: Double] {
        let script = (directory as NSString).appendingPathComponent("throughput.py")
        guard FileManager.default.fileExists(atPath: script) else {
            throw ValidationError("--compare: \(script) not found; pass --peer-directory")
        }
        // The script writes its results next to itself; the shared folder is read-only, so run a copy.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("emergent-peer-\(getpid())")
        try? FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(atPath: directory, toPath: copy.path)
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
        defer { try? FileManager.default.removeItem(at: copy) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "throughput.py", "--threads", "1", "--window-s", String(windowSeconds), "--label", "emergent"]
        process.currentDirectoryURL = copy
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("--compare: the PyTorch reference failed (is torch installed? pip install 'torch==2.13.0+cpu')")
        }
        var rates: [String: Double] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("{") {
            guard let record = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let bench = record["bench"] as? String, let rate = record["samples_per_s"] as? Double else { continue }
            if (record["batch"] as? Int) == TrainingBenchmark.batch { rates[bench] = rate }
        }
        return rates
    }
}
