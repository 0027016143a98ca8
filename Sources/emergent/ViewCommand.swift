import ArgumentParser
import DashboardCore
import EmergentCore
import Foundation

/// `emergent view RUN_DIR…`: the dashboard over run folders that other processes or machines
/// write, following them as they grow. Read-only: the runs train elsewhere.
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "The dashboard over run folders written by other processes or machines, following them as they grow.",
        discussion: """
            Each RUN_DIR is a run folder, an experiment folder (runs/<experiment>-<time>) or a runs root. Finished, \
            running and diverged runs open alike; new points appear within a second. Keys that steer runs say why \
            they do nothing here; :export writes the same exports as 'emergent export'.
            """)

    @Argument(help: "Run folders, experiment folders or runs roots.")
    var runDirectories: [String]

    @OptionGroup var look: DashboardOptions

    func validate() throws {
        if runDirectories.isEmpty { throw ValidationError("give at least one run folder or experiment folder") }
    }

    func run() throws {
        let follower: RunFolderFollower
        do { follower = try RunFolderFollower(paths: runDirectories) } catch {
            throw ValidationError(error.description)
        }
        var session = try DashboardSession(look)
        var snapshots = follower.poll()
        if snapshots.isEmpty, let problem = follower.problems.first { throw ValidationError(problem) }
        let first = snapshots.first
        let terminal = try session.openTerminal()
        var state = session.state(
            experiment: "view of " + (follower.experimentName ?? "run folders"), dataset: follower.datasetName ?? "—",
            model: first?.config.settings.model.kind ?? "—")
        state.readOnly = "this is a view of run folders; steer the runs in the process that trains them"
        state.tau = first?.config.settings.measurement.emergence.tau ?? state.tau
        // A sweep's folder: the heatmap fills in from its cells' folders as they finish.
        var manifest: SweepManifest?
        if runDirectories.count == 1 {
            do { manifest = try SweepManifest.load(directory: runDirectories[0]) } catch {
                state.report(error.description, error: true)
            }
        }
        func plan() -> SweepPlan? {
            guard let manifest, !manifest.grids.isEmpty else { return nil }
            return try? manifest.plan(folders: follower.runFolderPaths.map { ($0 as NSString).lastPathComponent })
        }
        var sweep = plan()
        var lastPoll = ContinuousClock.now
        var reported: Set<String> = []
        session.loop(
            terminal, state: &state,
            snapshots: {
                // Files are read twice a second; frames in between redraw the last picture.
                if ContinuousClock.now - lastPoll >= .milliseconds(500) {
                    let known = follower.runFolderPaths.count
                    snapshots = follower.poll()
                    if follower.runFolderPaths.count != known { sweep = plan() }
                    lastPoll = ContinuousClock.now
                }
                return snapshots
            },
            messages: {
                let new = follower.problems.filter { !reported.contains($0) }
                reported.formUnion(new)
                return new
            },
            refresh: { $0.sweep = sweep }
        ) { effect, state in
            if effect == .export {
                for directory in runDirectories { DashboardSession.export(directory, state: &state) }
            }
        }
    }
}
