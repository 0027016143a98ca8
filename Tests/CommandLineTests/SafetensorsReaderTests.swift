import Foundation
import Testing

@testable import EmergentCore

/// Emergent's safetensors files against the real `safetensors` package: it reads what
/// Emergent writes, and Emergent reads what it writes from torch, value for value.
@Suite(
    "safetensors against the safetensors package",
    .enabled(
        if: EmergentProcess.pythonImports("safetensors") && EmergentProcess.pythonImports("torch"),
        "needs python3 with safetensors and torch (pip install safetensors 'torch==2.13.0+cpu'); CI installs them"))
struct SafetensorsReaderTests {
    struct Read: Decodable {
        struct Entry: Decodable {
            let dtype: String
            let shape: [Int]
            let values: [Double]
        }
        let metadata: [String: String]
        let tensors: [String: Entry]
    }

    /// A fresh folder for one test's files.
    static func folder() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func check(_ mode: String, _ path: String) throws -> Read {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scripts/safetensors_check.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, mode, path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(problem)")
        return try JSONDecoder().decode(Read.self, from: data)
    }

    @Test("the package reads Emergent's file: names, shapes, float32 values bit for bit, metadata")
    func packageReadsOurs() throws {
        let path = try Self.folder() + "/w.safetensors"
        let file = SafetensorsFile(
            tensors: [
                .init(name: "dense1.weight", shape: [3, 4], values: (0..<12).map { Float($0) * 0.1 - 0.55 }),
                .init(name: "dense1.bias", shape: [3], values: [1e-30, -7, .greatestFiniteMagnitude]),
            ], metadata: ["architecture": "mlp 4-3", "seed": "7"])
        try file.write(to: path)
        let read = try Self.check("read", path)
        #expect(read.metadata == file.metadata)
        for tensor in file.tensors {
            let entry = try #require(read.tensors[tensor.name])
            #expect(entry.dtype == "float32" && entry.shape == tensor.shape)
            #expect(entry.values.map { Float($0).bitPattern } == tensor.values.map(\.bitPattern), "\(tensor.name)")
        }
    }

    @Test("Emergent reads torch's file of every dtype it takes, each value as torch turns it into float32")
    func weReadTorchs() throws {
        let path = try Self.folder() + "/torch.safetensors"
        let written = try Self.check("write", path)
        let file = try SafetensorsFile.read(path: path)
        #expect(file.metadata == written.metadata)
        #expect(Set(file.tensors.map(\.name)) == Set(written.tensors.keys))
        #expect(Set(written.tensors.values.map(\.dtype)) == ["float32", "float64", "float16", "bfloat16"])
        for tensor in file.tensors {
            let entry = try #require(written.tensors[tensor.name])
            #expect(tensor.shape == entry.shape, "\(tensor.name)")
            #expect(tensor.values.map(\.bitPattern) == entry.values.map { Float($0).bitPattern }, "\(tensor.name)")
        }
    }
}
