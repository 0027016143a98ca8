import Foundation

/// `emergent view`: run folders written by other processes or machines, followed as they
/// grow. Each poll reads what was appended since the last (whole lines only) and looks for
/// run folders that appeared in the experiment folders given; a folder that cannot be read
/// right now is reported and tried again at the next poll.
public final class RunFolderFollower {
    private let paths: [String]
    private var folders: [String: (folder: RunFolder, replay: RunReplay)] = [:]
    private var order: [String] = []
    /// What could not be read at the last poll, by path.
    public private(set) var problems: [String] = []

    /// Refused when a path is neither a run folder nor holds any.
    public init(paths: [String]) throws(RunFolderError) {
        for path in paths { _ = try RunFolderReader.runFolderPaths(at: path) }
        self.paths = paths
    }

    /// Every run's picture, with what was appended since the last poll.
    public func poll() -> [RunSnapshot] {
        problems = []
        for root in paths {
            guard let runPaths = try? RunFolderReader.runFolderPaths(at: root) else {
                problems.append("\(root) can no longer be read")
                continue
            }
            for path in runPaths where folders[path] == nil {
                do {
                    var folder = try RunFolder(path: path)
                    let config = try folder.runConfig(checkingData: false)
                    let replay = RunReplay(folder: folder, id: order.count, config: config)
                    // The replay holds the records from here on; a thousand folders must not be held twice.
                    folder.stopRetainingRecords()
                    folders[path] = (folder, replay)
                    order.append(path)
                } catch {
                    problems.append(error.description)
                }
            }
        }
        for path in order {
            guard var entry = folders[path] else { continue }
            do {
                let new = try entry.folder.follow()
                if !new.metrics.isEmpty || !new.events.isEmpty {
                    entry.replay.apply(metrics: new.metrics, events: new.events)
                }
                folders[path] = entry
            } catch {
                problems.append(error.description)
            }
        }
        return order.compactMap { folders[$0]?.replay.snapshot }
    }

    /// The experiment and dataset of the first run, for the header.
    public var experimentName: String? { order.first.flatMap { folders[$0]?.folder.experimentName } }
    public var datasetName: String? {
        guard let folder = order.first.flatMap({ folders[$0]?.folder }),
            case let .string(name)? = folder.config["dataset"]?["name"]
        else { return nil }
        return name
    }

    /// The run folders being followed, in the order of the snapshots.
    public var runFolderPaths: [String] { order }
}
