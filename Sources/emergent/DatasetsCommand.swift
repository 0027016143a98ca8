import ArgumentParser
import EmergentCore
import Foundation

struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "List every dataset, whether it is available here, where it comes from and how to get it.")

    @Option(help: "A directory holding MNIST IDX files or CIFAR-10 binary batches.")
    var dataDir: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        if let dataDir {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dataDir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--data-dir \(dataDir): no such directory")
            }
        }
    }

    func run() throws {
        let entries = DatasetCatalog(userDirectory: dataDir).entries()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        for entry in entries {
            let state = entry.available ? "available" : "missing"
            var counts = ""
            if let train = entry.trainItems, let test = entry.testItems { counts = "\(train) train / \(test) test" }
            let size = entry.bytesOnDisk.map { String(format: ", %.1f MB", Double($0) / 1e6) } ?? ""
            print("\(entry.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(state.padding(toLength: 10, withPad: " ", startingAt: 0)) \(entry.kind)")
            print("    \(entry.source)")
            if let location = entry.location { print("    at \(location) (\(counts)\(size))") }
            if let how = entry.howToGet { print("    to get it: \(how)") }
        }
    }
}
