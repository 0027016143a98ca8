import EmergentCore
import Foundation

/// The dashboard over run folders that other processes or machines write (`view`),
/// following them as they grow. Read-only: the state refuses steering keys before they get
/// here, and `:export` exports each folder given.
public final class RunFolderSource: DashboardSource {
    public let paths: [String]
    private let follower: RunFolderFollower
    /// A sweep's manifest, when one folder was given and it is a sweep's.
    private let manifest: SweepManifest?
    private var latest: [RunSnapshot]
    private var lastPoll = ContinuousClock.now
    private var reported: Set<String> = []
    public private(set) var sweep: SweepPlan?

    /// Reads the folders once; refuses when nothing readable is there. A damaged sweep
    /// manifest is reported, not refused: the runs still show.
    public init(paths: [String]) throws(UserError) {
        self.paths = paths
        do { follower = try RunFolderFollower(paths: paths) } catch { throw UserError(error.description) }
        latest = follower.poll()
        if latest.isEmpty, let problem = follower.problems.first { throw UserError(problem) }
        var manifestProblem: String?
        var manifest: SweepManifest?
        if paths.count == 1 {
            do { manifest = try SweepManifest.load(directory: paths[0]) } catch {
                manifestProblem = error.description
            }
        }
        self.manifest = manifest
        initialProblems = manifestProblem.map { [$0] } ?? []
        sweep = plan()
    }

    /// A damaged sweep manifest, reported on the first frame.
    private var initialProblems: [String]

    /// The header of a view: the experiment's name, its dataset and model, τ of the first run.
    public var header: DashboardSourceHeader {
        let first = latest.first
        return DashboardSourceHeader(
            experiment: "view of " + (follower.experimentName ?? "run folders"),
            dataset: follower.datasetName ?? "—", model: first?.config.settings.model.kind ?? "—",
            tau: first?.config.settings.measurement.emergence.tau ?? EmergenceSettings.defaultTau)
    }

    private func plan() -> SweepPlan? {
        guard let manifest, !manifest.grids.isEmpty else { return nil }
        return try? manifest.plan(folders: follower.runFolderPaths.map { ($0 as NSString).lastPathComponent })
    }

    /// Files are read twice a second; frames in between redraw the last picture.
    public func snapshots() -> [RunSnapshot] {
        if ContinuousClock.now - lastPoll >= .milliseconds(500) {
            let known = follower.runFolderPaths.count
            latest = follower.poll()
            if follower.runFolderPaths.count != known { sweep = plan() }
            lastPoll = ContinuousClock.now
        }
        return latest
    }

    public func problems() -> [String] {
        let new = follower.problems.filter { !reported.contains($0) }
        reported.formUnion(new)
        defer { initialProblems = [] }
        return initialProblems + new
    }

    public var template: RunConfig? { nil }

    public func send(_ command: RunCommand, to run: Int) throws(RunCommandError) {
        throw RunCommandError(message: "this is a view of run folders; steer the runs in the process that trains them")
    }

    public func add(_ run: RunConfig) {}
    public func remove(_ run: Int) {}

    public func export() throws(UserError) -> String {
        var messages: [String] = []
        for path in paths { messages.append(try RunFolderExport.exportAll(path)) }
        return messages.joined(separator: "; ")
    }

    public func open(_ name: String) throws(UserError) -> String {
        throw UserError("this is a view of run folders; open an experiment with emergent dash")
    }

    public func opened() -> Result<DashboardSourceHeader, UserError>? { nil }
}
