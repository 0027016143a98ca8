import ArgumentParser
import EmergentCore

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
        try FlagRange.directory(dataDir) { "--data-dir \($0): no such directory" }
    }

    func run() throws {
        var listing = DatasetListing(names: names, dataDirectory: dataDir)
        if verify { listing.verify(dataDirectory: dataDir) }
        print(json ? try JSONOutput.text(listing.document) : listing.text)
        if listing.failures > 0 { throw ExitCode.failure }
    }
}
