import EmergentCore

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

    /// Loads the named experiment first, so a bad name or file changes nothing; then this
    /// experiment ends (its folders complete) and the new one trains.
    public func open(_ name: String) throws(UserError) -> DashboardSourceHeader {
        guard let load else {
            throw UserError("a sweep's dashboard stays on its sweep: quit, then open the experiment")
        }
        do {
            let next = try load(name)
            let data = try ExperimentData.load(next)
            // The old experiment's folders are left complete, with its summary.
            try? session.writeSummary(session.finish())
            let inbox = inbox
            session = try ExperimentSession(next, data: data, purpose: "dash") { inbox.post($0) }
            session.add(next.runs)
            session.start()
            return DashboardSourceHeader(next)
        } catch {
            throw UserError("\(error)")
        }
    }
}
