import Dispatch
import EmergentCore
import Synchronization

/// The dashboard over an experiment training in this process (`dash`, `sweep --dashboard`):
/// steering goes to its run manager, `:export` to its run folders, `:open` replaces it.
public final class LiveExperimentSource: DashboardSource {
    public private(set) var session: ExperimentSession
    /// Write failures, posted by the session's writer; the status line shows them.
    public let inbox: ProblemInbox
    public let sweep: SweepPlan?
    /// The experiment a name opens, with the command's flags applied; nil: the dashboard stays
    /// on this experiment (a sweep's).
    private let load: ((String) throws -> ExperimentConfig)?

    public init(
        session: ExperimentSession, inbox: ProblemInbox, sweep: SweepPlan? = nil,
        load: ((String) throws -> ExperimentConfig)? = nil
    ) {
        self.session = session
        self.inbox = inbox
        self.sweep = sweep
        self.load = load
    }

    public func snapshots() -> [RunSnapshot] { session.manager.snapshots() }
    public func problems() -> [String] { inbox.take() }
    public var template: RunConfig? { session.config.runs.first }

    public func send(_ command: RunCommand, to run: Int) throws(RunCommandError) {
        try session.manager.send(command, to: run)
    }

    public func add(_ run: RunConfig) throws(UserError) { try session.addChecked(run) }
    public func remove(_ run: Int) { session.manager.remove(run) }

    public func export() throws(UserError) -> String {
        guard let writer = session.writer else {
            throw UserError("this session writes no run folders (--no-run-folders): nothing to export")
        }
        writer.flush()
        return try RunFolderExport.exportAll(writer.directory)
    }

    /// Reads the named experiment at once, so a bad name or file changes nothing; then, off
    /// the frame loop, loads its data, ends this experiment (its folders complete) and starts
    /// the new one. The old runs go on showing until `opened()` hands the new one over.
    public func open(_ name: String) throws(UserError) -> String {
        guard let load else {
            throw UserError("a sweep's dashboard stays on its sweep: quit, then open the experiment")
        }
        let next: ExperimentConfig
        do { next = try load(name) } catch { throw UserError("\(error)") }
        guard opening.begin() else { throw UserError("an experiment is being opened already; wait for it") }
        let old = session, inbox = inbox, opening = opening
        DispatchQueue.global(qos: .userInitiated).async {
            let result = Result { () throws(UserError) -> ExperimentSession in
                let data: ExperimentData
                do { data = try ExperimentData.load(next) } catch { throw UserError("\(error)") }
                // The old experiment's folders are left complete, with its summary.
                try? old.writeSummary(old.finish())
                let session = try ExperimentSession(next, data: data, purpose: "dash") { inbox.post($0) }
                session.add(next.runs)
                session.start()
                return session
            }
            opening.finish(result.map { ($0, DashboardSourceHeader(next)) })
        }
        return "opening \(next.name): loading \(next.dataset); \(session.config.name) goes on meanwhile"
    }

    public func opened() -> Result<DashboardSourceHeader, UserError>? {
        guard let result = opening.take() else { return nil }
        return result.map { next, header in
            session = next
            return header
        }
    }

    /// Waits until an `open` in progress is done (tests, which wait for states, not times).
    public func waitUntilOpened() { opening.wait() }

    private let opening = Opening()
}

/// One `:open` at a time, loading off the frame loop: its outcome waits here for the frame
/// that hands it over.
private final class Opening: Sendable {
    private let state = Mutex<(busy: Bool, result: Result<(ExperimentSession, DashboardSourceHeader), UserError>?)>(
        (false, nil))
    private let loading = DispatchGroup()

    /// Whether a new open may start (none is in progress).
    func begin() -> Bool {
        state.withLock { state in
            guard !state.busy else { return false }
            state.busy = true
            loading.enter()
            return true
        }
    }

    func finish(_ result: Result<(ExperimentSession, DashboardSourceHeader), UserError>) {
        state.withLock { $0.result = result }
        loading.leave()
    }

    func take() -> Result<(ExperimentSession, DashboardSourceHeader), UserError>? {
        state.withLock { state in
            guard let result = state.result else { return nil }
            state = (false, nil)
            return result
        }
    }

    func wait() { loading.wait() }
}
