import ArgumentParser
import DashboardCore
import EmergentCore
import Foundation
import Synchronization
import TerminalBackend

/// `emergent` and `emergent dash [EXPERIMENT]`: the live dashboard over an experiment's runs.
struct DashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dash",
        abstract: "The live dashboard: the runs of an experiment training side by side, steered from the keyboard.",
        discussion: """
            ? in the dashboard lists the keys. Every run is written to its folder under ./runs (--runs-dir, \
            --no-run-folders). Without a terminal, use 'emergent run EXPERIMENT'.
            """)

    @Argument(help: "A preset name or an experiment file.")
    var experiment = "default"

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var look: DashboardOptions

    /// Messages from other threads (run folder write failures) for the status line.
    final class Inbox: Sendable {
        private let messages = Mutex<[String]>([])
        func post(_ message: String) { messages.withLock { $0.append(message) } }
        func take() -> [String] {
            messages.withLock { messages in
                defer { messages = [] }; return messages
            }
        }
    }

    /// An experiment training: its manager and the writer of its run folders.
    final class Live {
        let config: ExperimentConfig
        let manager: RunManager
        let writer: RunFolderWriter?

        init(_ config: ExperimentConfig, data: ExperimentData, failures: Inbox) throws {
            self.config = config
            manager = RunManager(data: data, workers: config.workers)
            if config.writesRunFolders {
                do {
                    writer = try RunFolderWriter(root: config.runsDirectory, experiment: config, data: data) {
                        _, message in failures.post(message)
                    }
                } catch { throw ValidationError(error.description) }
                writer?.attach(to: manager)
            } else {
                writer = nil
            }
            for run in config.runs { manager.add(run) }
            manager.start()
        }

        /// Stops training and leaves the folders complete, with `summary.json`.
        func finish() {
            manager.shutdown()
            guard let writer else { return }
            writer.flush()
            let summary = ExperimentSummary(manager.snapshots())
            if let text = try? SummaryTable.json(summary, experiment: config) { try? writer.writeSummary(text: text) }
        }
    }

    func run() throws {
        let config = try options.load(experiment)
        var session = try DashboardSession(look)
        let data: ExperimentData
        do { data = try ExperimentData.load(config) } catch { throw ValidationError(error.description) }
        let failures = Inbox()
        var live = try Live(config, data: data, failures: failures)
        let terminal = try session.openTerminal()
        var state = session.state(
            experiment: config.name, dataset: config.dataset, model: config.runs[0].settings.model.kind)
        state.tau = config.runs[0].settings.measurement.emergence.tau
        if let writer = live.writer { state.report("run folders: \(writer.directory)") }
        let fresh = state
        session.loop(
            terminal, state: &state, snapshots: { live.manager.snapshots() },
            messages: { failures.take() }
        ) { effect, state in
            switch effect {
            case let .open(name):
                // The same flags apply to the new experiment; a bad one changes nothing.
                do {
                    let next = try options.load(name)
                    let nextData = try ExperimentData.load(next)
                    live.finish()
                    live = try Live(next, data: nextData, failures: failures)
                    state = fresh
                    state.experiment = next.name
                    state.dataset = next.dataset
                    state.model = next.runs[0].settings.model.kind
                    state.tau = next.runs[0].settings.measurement.emergence.tau
                    state.report("opened \(next.name): \(next.runs.count) runs")
                } catch {
                    state.report("\(error)", error: true)
                }
            case .export: DashboardSession.export(live.writer, state: &state)
            default:
                Self.apply(effect, to: live.manager, template: live.config.runs[0], state: &state)
            }
        }
        live.finish()
    }

    /// Carries out one effect of the reducer against the run manager.
    static func apply(
        _ effect: DashboardState.Effect, to manager: RunManager, template: RunConfig, state: inout DashboardState
    ) {
        do throws(RunCommandError) {
            switch effect {
            case let .send(command, run): try manager.send(command, to: run)
            case let .fork(run, edit):
                let snapshots = manager.snapshots()
                let base = run.flatMap { id in snapshots.first { $0.id == id }?.config } ?? template
                let newGroup = (snapshots.map(\.config.group).max() ?? 0) + 1
                manager.add(try edit.applied(to: base, newGroup: newGroup))
            case let .remove(run): manager.remove(run)
            case .open, .theme, .quit, .export: break
            }
        } catch {
            state.report(error.description, error: true)
        }
    }
}
