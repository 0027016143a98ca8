import ArgumentParser
import DashboardCore
import EmergentCore
import Foundation
import TerminalBackend

/// `emergent` and `emergent dash [EXPERIMENT]`: the live dashboard over an experiment's runs.
struct DashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dash",
        abstract: "The live dashboard: the runs of an experiment training side by side, steered from the keyboard.",
        discussion: "? in the dashboard lists the keys. Without a terminal, use 'emergent run EXPERIMENT'.")

    @Argument(help: "A preset name or an experiment file.")
    var experiment = "default"

    @OptionGroup var options: ExperimentOptions

    @Option(help: "Theme: a name (default, light, high-contrast, ansi16) or a path to a .theme file.")
    var theme = "default"

    @Option(help: "Curve symbols: braille, block or ascii (ascii is automatic when the locale is not UTF-8).")
    var symbols: String?

    func run() throws {
        let config = try options.load(experiment)
        let environment = ProcessInfo.processInfo.environment
        let shipped = EmbeddedData.dataDirectory.map {
            (($0 as NSString).deletingLastPathComponent as NSString).appendingPathComponent("themes")
        }
        let colors: Theme
        do {
            colors = try Theme.load(
                theme, userDirectory: Theme.userDirectory(environment: environment), shippedDirectory: shipped)
        } catch {
            throw ValidationError(error.description)
        }
        let utf8 =
            ["LC_ALL", "LC_CTYPE", "LANG"].compactMap { environment[$0] }.first { !$0.isEmpty }?.uppercased()
            .contains("UTF-8") ?? false
        var chosen = utf8 ? LineChart.Symbols.braille : .ascii
        if let symbols {
            guard let value = LineChart.Symbols(rawValue: symbols) else {
                throw ValidationError("--symbols '\(symbols)' is not one of: braille, block, ascii")
            }
            chosen = value
        }
        let data: ExperimentData
        do { data = try ExperimentData.load(config) } catch { throw ValidationError(error.description) }
        let terminal: Terminal
        do { terminal = try Terminal(keyTimeout: 50, noColor: !(environment["NO_COLOR"] ?? "").isEmpty) } catch {
            throw ValidationError(error.description)
        }
        let manager = RunManager(data: data, workers: config.workers)
        for run in config.runs { manager.add(run) }
        manager.start()
        var state = DashboardState(
            experiment: config.name, dataset: config.dataset, model: config.runs[0].settings.model.kind)
        state.symbols = chosen
        state.tau = config.runs[0].settings.measurement.emergence.tau
        let start = ContinuousClock.now
        loop: while !Terminal.interrupted {
            if let key = terminal.readKey() {
                for effect in state.handle(.key(key)) {
                    if effect == .quit { break loop }
                    Self.apply(effect, to: manager, state: &state)
                }
            }
            _ = state.handle(.snapshots(manager.snapshots(), elapsed: (ContinuousClock.now - start).seconds))
            let size = terminal.size
            terminal.draw(DashboardView.render(state, width: size.width, height: size.height, theme: colors))
        }
        terminal.close()
        manager.shutdown()
    }

    /// Carries out one effect of the reducer against the run manager.
    static func apply(_ effect: DashboardState.Effect, to manager: RunManager, state: inout DashboardState) {
        do {
            switch effect {
            case let .send(command, run): try manager.send(command, to: run)
            case let .sendAll(command): for id in manager.runIDs { try manager.send(command, to: id) }
            case let .forkEmergence(run, alpha):
                manager.fork(run) { config in
                    guard let spec = try? config.initializer.setting("alpha", to: String(alpha)) else { return }
                    config.initializer = spec
                    config.label = spec.description
                }
            case let .addControl(run):
                manager.fork(run) { config in
                    guard let base = try? InitializerSpec(parsing: config.initializer.options["base"] ?? "kaiming")
                    else { return }
                    config.controlOf = config.initializer
                    config.label = "control of \(config.label)"
                    config.initializer = base
                }
            case let .remove(run): manager.remove(run)
            case .quit: break
            }
        } catch {
            state.report(error.description, error: true)
        }
    }
}
