import EmergentCore
import Foundation
import Synchronization

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
    /// The cluster a Slurm sweep's tasks run on (nil: not asked), what it last said of each
    /// run folder's cell, and when it was last asked. Asked on a queue of its own, never on
    /// the frame: squeue can take seconds on a busy controller.
    private let cluster: (any SlurmCluster & Sendable)?
    private let answer = ClusterAnswer()
    private var lastAsked: ContinuousClock.Instant?
    static let clusterInterval = Duration.seconds(5)

    /// Reads the folders once; refuses when nothing readable is there. A damaged sweep
    /// manifest is reported, not refused: the runs still show. With `cluster`, a Slurm
    /// sweep's runs show what Slurm says of their tasks (pending, cancelled, timed out).
    public init(paths: [String], cluster: (any SlurmCluster & Sendable)? = nil) throws(UserError) {
        self.paths = paths
        self.cluster = cluster
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
            askClusterIfDue()
        }
        let states = answer.states.withLock { $0 }
        guard !states.isEmpty else { return latest }
        return zip(latest, follower.runFolderPaths).map { run, path in
            var run = run
            if !run.status.isTerminal || run.status == .cancelled || run.status == .failed,
                let state = states[(path as NSString).lastPathComponent]
            {
                run.clusterState = Self.word(state)
            }
            return run
        }
    }

    /// How a cell's state reads on a run's row.
    static func word(_ state: SweepStatus.State) -> String? {
        switch state {
        case .queued: "pending"
        case .requeued: "requeued"
        case .cancelled: "cancelled"
        case .timedOut: "timed out"
        case .failed: "task failed"
        case .notStarted: "not submitted"
        case .done, .diverged, .running, .incomplete: nil
        }
    }

    /// Asks Slurm about a Slurm sweep's tasks every few seconds, in the background.
    private func askClusterIfDue() {
        guard let cluster, let manifest, paths.count == 1, !SlurmFolder.submissions(in: paths[0]).isEmpty else {
            return
        }
        if let lastAsked, ContinuousClock.now - lastAsked < Self.clusterInterval { return }
        let answer = answer
        guard answer.asking.withLock({ busy in defer { busy = true }; return !busy }) else { return }
        lastAsked = ContinuousClock.now
        let runs = Dictionary(
            zip(follower.runFolderPaths.map { ($0 as NSString).lastPathComponent }, latest),
            uniquingKeysWith: { first, _ in first })
        let directory = paths[0]
        DispatchQueue.global(qos: .utility).async {
            let status = SweepStatus(
                directory: directory, manifest: manifest, runs: runs, queue: { cluster.queue(jobs: $0).states },
                ended: { cluster.ended(job: $0, task: $1) })
            answer.states.withLock { $0 = status.clusterStates(manifest) }
            answer.asking.withLock { $0 = false }
        }
    }

    /// What the cluster last said, by run folder name, and whether it is being asked now:
    /// shared with the queue that asks.
    private final class ClusterAnswer: Sendable {
        let states = Mutex<[String: SweepStatus.State]>([:])
        let asking = Mutex(false)
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
