import EmergentCore
import Foundation

/// The PyTorch reference script kept running beside the benchmark: each `window` asks it
/// for one timed window of a model and reads the record it prints.
public final class PeerSession {
    /// `Scripts/pytorch_throughput.py` beside the checkout's `data` folder.
    public static var defaultScript: String {
        let root = EmbeddedData.dataDirectory.map { ($0 as NSString).deletingLastPathComponent } ?? "."
        return (root as NSString).appendingPathComponent("Scripts/pytorch_throughput.py")
    }

    private let process = Process()
    private let requests = Pipe()
    private let records = Pipe()
    private var pending = Data()

    public init(script: String, threads: Int) throws(UserError) {
        guard FileManager.default.fileExists(atPath: script) else {
            throw UserError("--compare: \(script) not found; pass --reference-script")
        }
        // A reference that dies must make `window` throw, not kill us with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--threads", String(threads), "--serve"]
        process.standardInput = requests
        process.standardOutput = records
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw UserError("--compare: python3 did not start: \(error.localizedDescription)") }
    }

    /// PyTorch's samples/s over one window of at least `seconds` of model `bench`.
    public func window(_ bench: String, seconds: Double) throws(UserError) -> Double {
        let failure = UserError(
            "--compare: the PyTorch reference failed (is torch installed? pip install 'torch==2.13.0+cpu')")
        do {
            try requests.fileHandleForWriting.write(contentsOf: Data("\(bench) \(seconds)\n".utf8))
        } catch { throw failure }
        while !pending.contains(UInt8(ascii: "\n")) {
            let chunk = records.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw failure }
            pending.append(chunk)
        }
        let end = pending.firstIndex(of: UInt8(ascii: "\n"))!
        let line = String(decoding: pending[pending.startIndex..<end], as: UTF8.self)
        pending = Data(pending[(end + 1)...])
        guard case let .object(members)? = try? JSONParser.parse(line),
            case let .number(rate, _)? = members.first(where: { $0.key == "samples_per_s" })?.value
        else { throw failure }
        return rate
    }

    /// Ends the reference (its input closes) and waits for it.
    public func finish() {
        try? requests.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
