import Foundation

/// The run folders an export reads (a run, an experiment, or a runs root), as series by key.
public struct ExportedExperiment: Sendable {
    public struct Run: Sendable {
        /// Unique within the export: the folder's name, with its experiment's when several are exported.
        public let name: String
        public let folder: RunFolder
        /// Points by key, in step order.
        public let series: [String: [MetricRecord]]
        public var label: String { folder.label }
        public var group: String { "\((folder.path as NSString).deletingLastPathComponent)#\(folder.group)" }
    }

    public let runs: [Run]
    /// Where exports go by default: the experiment folder's `export` (or the run folder's).
    public let defaultOutput: String

    public init(path: String) throws(RunFolderError) {
        let paths = try RunFolderReader.runFolderPaths(at: path)
        let parents = Set(paths.map { ($0 as NSString).deletingLastPathComponent })
        var runs: [Run] = []
        for runPath in paths {
            let folder = try RunFolder(path: runPath)
            var series: [String: [MetricRecord]] = [:]
            for record in folder.metrics { series[record.key, default: []].append(record) }
            let parent = ((runPath as NSString).deletingLastPathComponent as NSString).lastPathComponent
            runs.append(
                Run(name: parents.count > 1 ? parent + "/" + folder.name : folder.name, folder: folder, series: series))
        }
        self.runs = runs
        defaultOutput =
            ((paths.count == 1 && paths[0] == path ? path : (parents.count == 1 ? parents.first! : path)) as NSString)
            .appendingPathComponent("export")
    }

    /// Every key logged by any run, sorted.
    public var keys: [String] { Set(runs.flatMap(\.series.keys)).sorted() }

    /// Runs grouped by seed group (runs of one experiment entry), in order.
    public var groups: [[Run]] {
        var order: [String] = []
        var members: [String: [Run]] = [:]
        for run in runs {
            if members[run.group] == nil { order.append(run.group) }
            members[run.group, default: []].append(run)
        }
        return order.map { members[$0]! }
    }

    /// The metric the tables rank by: test accuracy, or the first test key there is.
    public var testMetric: String {
        let keys = self.keys
        return keys.contains("test/acc") ? "test/acc" : keys.first { $0.hasPrefix("test/") } ?? "train/loss"
    }
}
