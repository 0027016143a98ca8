import Foundation
import Synchronization

/// `emergent view`: run folders written by other processes or machines, followed as they
/// grow. Each poll reads what was appended since the last (whole lines only) and looks for
/// run folders that appeared in the experiment folders given; a folder that cannot be read
/// right now is reported and tried again at the next poll.
public final class RunFolderFollower {
    private let paths: [String]
    private let seriesKeys: Set<String>?
    private var folders: [String: (folder: RunFolder, replay: RunReplay)] = [:]
    private var order: [String] = []
    /// What could not be read at the last poll, by path.
    public private(set) var problems: [String] = []

    /// Refused when a path is neither a run folder nor holds any. `seriesKeys` names the
    /// metric series the pictures keep (nil: all of them, as the dashboard draws).
    public init(paths: [String], seriesKeys: Set<String>? = nil) throws(RunFolderError) {
        for path in paths { _ = try RunFolderReader.runFolderPaths(at: path) }
        self.paths = paths
        self.seriesKeys = seriesKeys
    }

    /// Every run's picture, with what was appended since the last poll. Folders are read in
    /// parallel, one per core at a time: a sweep's thousand folders open in a fraction of the
    /// time one thread takes.
    public func poll() -> [RunSnapshot] {
        problems = []
        var discovered: [String] = []
        for root in paths {
            guard let runPaths = try? RunFolderReader.runFolderPaths(at: root) else {
                problems.append("\(root) can no longer be read")
                continue
            }
            discovered += runPaths.filter { folders[$0] == nil && !discovered.contains($0) }
        }
        let seriesKeys = seriesKeys
        let opened = Self.inParallel(discovered) { path -> Result<(RunFolder, RunReplay), RunFolderError> in
            do throws(RunFolderError) {
                var folder = try RunFolder(path: path)
                let config = try folder.runConfig(checkingData: false)
                let replay = RunReplay(folder: folder, id: 0, config: config, seriesKeys: seriesKeys)
                // The replay holds the records from here on; a thousand folders must not be held twice.
                folder.stopRetainingRecords()
                return .success((folder, replay))
            } catch { return .failure(error) }
        }
        for (path, result) in zip(discovered, opened) {
            switch result {
            case .success(let (folder, opened)):
                // Ids are places in `order`, given in the order folders are listed.
                var replay = opened
                replay.renumber(order.count)
                folders[path] = (folder, replay)
                order.append(path)
            case let .failure(error): problems.append(error.description)
            }
        }
        let known = order.compactMap { path in folders[path].map { (path, $0) } }
        let followed = Self.inParallel(known) {
            path, entry -> Result<(folder: RunFolder, replay: RunReplay), RunFolderError> in
            var entry = entry
            do throws(RunFolderError) {
                let new = try entry.folder.follow()
                if !new.metrics.isEmpty || !new.events.isEmpty {
                    entry.replay.apply(metrics: new.metrics, events: new.events)
                }
                return .success(entry)
            } catch { return .failure(error) }
        }
        for ((path, _), result) in zip(known, followed) {
            switch result {
            case let .success(entry): folders[path] = entry
            case let .failure(error): problems.append(error.description)
            }
        }
        // A run that has not finished but whose folder no process holds was stopped: say so,
        // rather than "training" (writers hold the experiment's lock or the run's own).
        let experimentsHeld = Dictionary(
            Set(order.map { ($0 as NSString).deletingLastPathComponent }).map { ($0, FolderLock.isHeld($0)) },
            uniquingKeysWith: { first, _ in first })
        return order.compactMap { path in
            guard var snapshot = folders[path]?.replay.snapshot else { return nil }
            // A run that never began (a Slurm task still pending) stays queued.
            if !snapshot.status.isTerminal, ![.stopped, .queued].contains(snapshot.status), experimentsHeld[(path as NSString).deletingLastPathComponent] != true,
                !FolderLock.isHeld(path)
            {
                snapshot.status = .stopped
            }
            return snapshot
        }
    }

    /// `transform` of every item, computed on all cores, in the items' order.
    static func inParallel<Item: Sendable, Output: Sendable>(
        _ items: [Item], _ transform: @Sendable (Item) -> Output
    ) -> [Output] {
        guard items.count > 1 else { return items.map(transform) }
        let results = Mutex([Output?](repeating: nil, count: items.count))
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            let output = transform(items[index])
            results.withLock { $0[index] = output }
        }
        return results.withLock { $0.map { $0! } }
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
