import Foundation
import Testing

@Suite("emergent datasets, run as a process")
struct DatasetsCommandTests {
    struct Row: Decodable {
        let name: String
        let available: Bool
        let howToGet: String?
        let verification: String?
    }

    static func rows(_ arguments: [String]) throws -> (status: Int32, rows: [Row]) {
        let result = try EmergentProcess.run(["datasets", "--json"] + arguments)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return (result.status, try decoder.decode([Row].self, from: Data(result.standardOutput.utf8)))
    }

    @Test("every dataset is listed; the embedded subset and the generated numbers are always available")
    func listing() throws {
        let (status, rows) = try Self.rows([])
        #expect(status == 0)
        #expect(
            rows.map(\.name) == [
                "fashion-mnist-small", "fashion-mnist", "mnist", "cifar10", "freedict-de-en", "de-en-numbers",
            ])
        #expect(rows.first { $0.name == "fashion-mnist-small" }?.available == true)
        #expect(rows.first { $0.name == "de-en-numbers" }?.available == true)
        for row in rows where !row.available { #expect(row.howToGet?.isEmpty == false, "\(row.name) has no hint") }
        let hints = rows.compactMap(\.howToGet).joined(separator: " ")
        #expect(hints.contains("--data-dir DIR"))
        let table = try EmergentProcess.run(["datasets"])
        #expect(table.status == 0 && table.standardOutput.contains("fashion-mnist-small  available"))
    }

    @Test("--data-dir finds CIFAR-10 batches, and --verify reads them")
    func userDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-cifar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let record = Data([3] + [UInt8](repeating: 7, count: 3072))
        for name in (1...5).map({ "data_batch_\($0).bin" }) + ["test_batch.bin"] {
            try record.write(to: directory.appendingPathComponent(name))
        }
        let (status, rows) = try Self.rows(["cifar10", "fashion-mnist-small", "--data-dir", directory.path, "--verify"])
        #expect(status == 0)
        let cifar = try #require(rows.first { $0.name == "cifar10" })
        #expect(cifar.available)
        #expect(cifar.verification?.hasPrefix("verified: 5 train / 1 test images of 3×32×32") == true)
        #expect(
            rows.first { $0.name == "fashion-mnist-small" }?.verification?.hasPrefix("verified: 10000 train") == true)

        // A corrupt batch: --verify reports it by file and exits non-zero.
        try record.dropLast(5).write(to: directory.appendingPathComponent("data_batch_2.bin"))
        let broken = try EmergentProcess.run(["datasets", "cifar10", "--data-dir", directory.path, "--verify"])
        #expect(broken.status != 0)
        #expect(broken.standardOutput.contains("FAILED: \(directory.path)/data_batch_2.bin: truncated"))
    }

    @Test("an unknown dataset name is a one-line error listing the names")
    func unknownName() throws {
        let result = try EmergentProcess.run(["datasets", "imagenet"])
        #expect(result.status != 0)
        #expect(
            result.standardError.hasPrefix("emergent: unknown dataset 'imagenet'; choose one of: fashion-mnist-small,"))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    @Test("a missing --data-dir is a one-line error")
    func missingDirectory() throws {
        let result = try EmergentProcess.run(["datasets", "--data-dir", "/no/such/dir"])
        #expect(result.status != 0)
        #expect(result.standardError == "emergent: --data-dir /no/such/dir: no such directory\n")
    }
}
