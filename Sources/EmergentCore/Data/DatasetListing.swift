import Foundation

/// What `emergent datasets` shows: each dataset's entry, and with `--verify` what loading it
/// whole found (its summary and time, or what is wrong).
public struct DatasetListing: Sendable {
    public let entries: [DatasetCatalog.Entry]
    /// "verified: …" or "FAILED: …" by dataset name.
    public private(set) var verified: [String: String] = [:]
    public private(set) var failures = 0

    /// The catalog's entries named in `names` (all when empty).
    public init(names: [String], dataDirectory: String?) {
        entries = DatasetCatalog(userDirectory: dataDirectory).entries().filter {
            names.isEmpty || names.contains($0.name)
        }
    }

    /// Loads every available dataset completely (checksums, headers, labels).
    public mutating func verify(dataDirectory: String?) {
        for entry in entries where entry.available {
            let directory = ["mnist", "cifar10"].contains(entry.name) ? dataDirectory : nil
            do {
                let start = ContinuousClock.now
                let loaded = try DatasetLoader.load(entry.name, dataDirectory: directory)
                let seconds = (ContinuousClock.now - start).seconds
                verified[entry.name] = "verified: " + loaded.summary + String(format: " (loaded in %.2f s)", seconds)
            } catch {
                verified[entry.name] = "FAILED: \(error)"
                failures += 1
            }
        }
    }

    /// Each entry as JSON, with its verification when there is one.
    public var document: [Row] { entries.map { Row(entry: $0, verification: verified[$0.name]) } }

    public struct Row: Encodable {
        let entry: DatasetCatalog.Entry
        let verification: String?
        public func encode(to encoder: any Encoder) throws {
            try entry.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeIfPresent(verification, forKey: .verification)
        }
        enum Key: String, CodingKey { case verification }
    }

    /// The list as text: name, state and kind, the source, where it is and how to get it.
    public var text: String {
        var lines: [String] = []
        for entry in entries {
            let state = entry.available ? "available" : "missing"
            var counts = ""
            if let train = entry.trainItems, let test = entry.testItems { counts = "\(train) train / \(test) test" }
            let size = entry.bytesOnDisk.map { String(format: ", %.1f MB", Double($0) / 1e6) } ?? ""
            lines.append(
                "\(entry.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(state.padding(toLength: 10, withPad: " ", startingAt: 0)) \(entry.kind)"
            )
            lines.append("    \(entry.source)")
            if let location = entry.location { lines.append("    at \(location) (\(counts)\(size))") }
            if let how = entry.howToGet { lines.append("    to get it: \(how)") }
            if let result = verified[entry.name] { lines.append("    \(result)") }
        }
        return lines.joined(separator: "\n")
    }
}
