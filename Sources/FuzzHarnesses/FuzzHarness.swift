import DashboardCore
import EmergentCore
import Foundation

/// One reader of untrusted bytes, driven by a fuzzer: every input must end in a value or a
/// thrown error, never a trap, a hang or unbounded memory. The same harnesses replay the
/// committed corpus and every crash a fuzzer ever found, as regression cases in `swift test`.
public enum FuzzHarness: String, CaseIterable, Sendable {
    case json, experiment, theme, checkpoint, metrics, events, sweep, idx, dictd, safetensors

    /// Feeds `bytes` to the reader; what it returns or throws is not the point, that it returns is.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .json:
            _ = try? JSONParser.parse(String(decoding: bytes, as: UTF8.self))
        case .experiment:
            if let document = try? JSONParser.parse(String(decoding: bytes, as: UTF8.self)) {
                _ = try? ExperimentConfig.parse(document, defaultName: "fuzz")
            }
        case .theme:
            _ = try? Theme(parsing: String(decoding: bytes, as: UTF8.self), name: "fuzz", file: "fuzz.theme")
        case .checkpoint:
            _ = try? TrainerCheckpoint(decoding: bytes)
        case .metrics, .events:
            // A run folder whose log is the input (the other log empty).
            let folder = Scratch.folder("run")
            Scratch.write(Self.runConfig, to: folder + "/config.json")
            Scratch.write(self == .metrics ? bytes : [], to: folder + "/metrics.jsonl")
            Scratch.write(self == .events ? bytes : [], to: folder + "/events.jsonl")
            if let run = try? RunFolder(path: folder) {
                _ = run.chooseCheckpoint()
                // The records replayed into a run's picture, as `view` and `resume` do.
                if let config = try? run.runConfig(checkingData: false) {
                    _ = RunReplay(folder: run, id: 0, config: config).snapshot
                }
            }
        case .sweep:
            let folder = Scratch.folder("sweep")
            Scratch.write(bytes, to: folder + "/" + SweepManifest.fileName)
            if let manifest = try? SweepManifest.load(directory: folder) {
                _ = try? manifest.plan(folders: manifest.cells.flatMap(\.runs))
            }
        case .idx:
            // The first byte picks the rank (1 for labels, 3 for images), as the loader asks.
            guard let first = bytes.first else { return }
            _ = try? IDXFile(bytes: Array(bytes.dropFirst()), file: "fuzz.idx", rank: first & 1 == 0 ? 1 : 3)
        case .dictd:
            // The index, a NUL, then the dictionary (plain or dictzip).
            let split = bytes.firstIndex(of: 0) ?? bytes.count
            let folder = Scratch.folder("dictd")
            Scratch.write(Array(bytes[..<split]), to: folder + "/" + FreeDict.indexName)
            Scratch.write(Array(bytes[min(split + 1, bytes.count)...]), to: folder + "/" + FreeDict.dictionaryName)
            _ = try? FreeDict.pairs(in: folder)
        case .safetensors:
            _ = try? SafetensorsFile(decoding: bytes, path: "fuzz.safetensors")
        }
    }

    /// A valid `config.json`, so the log readers are reached.
    static let runConfig = Array(
        """
        {"format": 1, "run": 0, "label": "kaiming", "seed": 0, "group": 0, "entry": 0, "edits": [],
         "steps_per_epoch": 10, "experiment": {"runs": [{"init": "kaiming"}]}}
        """.utf8)
}

/// Per-process scratch folders the file-reading harnesses write their input into.
enum Scratch {
    static let root: String = {
        let path = NSTemporaryDirectory() + "emergent-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func folder(_ name: String) -> String {
        let path = root + "/" + name
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }
}

/// The inputs of a harness kept in the repository: its seed corpus and every crash a fuzzer
/// found (`Fuzz/corpus/<harness>/`, `Fuzz/regressions/<harness>/`).
public enum FuzzInput {
    public static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map(Array.init)
    }

    /// Every file under `folder` (recursively), sorted.
    public static func files(in folder: String) -> [String] {
        guard let names = FileManager.default.subpaths(atPath: folder) else { return [] }
        return names.sorted().map { folder + "/" + $0 }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }
}
