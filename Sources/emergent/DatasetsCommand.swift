import ArgumentParser
import EmergentCore
import Foundation

struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "List every dataset, whether it is available here, where it comes from and how to get it.")

    @Argument(help: "Datasets to show (default: all): \(DatasetCatalog.names.joined(separator: ", ")).")
    var names: [String] = []

    @Option(help: "A directory holding MNIST IDX files or CIFAR-10 binary batches.")
    var dataDir: String?

    @Flag(
        help:
            "Also load every available dataset completely (checksums, headers, labels) and report what was read or what is wrong."
    )
    var verify = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        if let unknown = names.first(where: { !DatasetCatalog.names.contains($0) }) {
            throw ValidationError(DatasetError.unknownDataset(unknown, known: DatasetCatalog.names).description)
        }
        if let dataDir {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dataDir, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw ValidationError("--data-dir \(dataDir): no such directory")
            }
        }
    }

    func run() throws {
        let entries = DatasetCatalog(userDirectory: dataDir).entries().filter {
            names.isEmpty || names.contains($0.name)
        }
        var verified: [String: String] = [:]
        var failures = 0
        if verify {
            for entry in entries where entry.available {
                let directory = ["mnist", "cifar10"].contains(entry.name) ? dataDir : nil
                do {
                    let start = ContinuousClock.now
                    let loaded = try DatasetLoader.load(entry.name, dataDirectory: directory)
                    let seconds = (ContinuousClock.now - start).seconds
                    verified[entry.name] =
                        "verified: " + loaded.summary + String(format: " (loaded in %.2f s)", seconds)
                } catch {
                    verified[entry.name] = "FAILED: \(error)"
                    failures += 1
                }
            }
        }
        if json {
            struct Row: Encodable {
                let entry: DatasetCatalog.Entry
                let verification: String?
                func encode(to encoder: any Encoder) throws {
                    try entry.encode(to: encoder)
                    var container = encoder.container(keyedBy: Key.self)
                    try container.encodeIfPresent(verification, forKey: .verification)
                }
                enum Key: String, CodingKey { case verification }
            }
            print(try JSONOutput.text(entries.map { Row(entry: $0, verification: verified[$0.name]) }))
        } else {
            printTable(entries, verified: verified)
        }
        if failures > 0 { throw ExitCode.failure }
    }

    private func printTable(_ entries: [DatasetCatalog.Entry], verified: [String: String]) {
        for entry in entries {
            let state = entry.available ? "available" : "missing"
            var counts = ""
            if let train = entry.trainItems, let test = entry.testItems { counts = "\(train) train / \(test) test" }
            let size = entry.bytesOnDisk.map { String(format: ", %.1f MB", Double($0) / 1e6) } ?? ""
            print(
                "\(entry.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(state.padding(toLength: 10, withPad: " ", startingAt: 0)) \(entry.kind)"
            )
            print("    \(entry.source)")
            if let location = entry.location { print("    at \(location) (\(counts)\(size))") }
            if let how = entry.howToGet { print("    to get it: \(how)") }
            if let result = verified[entry.name] { print("    \(result)") }
        }
    }
}
