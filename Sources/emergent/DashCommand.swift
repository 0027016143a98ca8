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

    @Flag(help: .hidden)
    var frozenClock = false

    @Option(help: "Curve symbols: braille, block or ascii (ascii is automatic when the locale is not UTF-8).")
    var symbols: String?

    func run() throws {
        var config = try options.load(experiment)
        let environment = ProcessInfo.processInfo.environment
        let shipped = EmbeddedData.dataDirectory.map {
            (($0 as NSString).deletingLastPathComponent as NSString).appendingPathComponent("themes")
        }
        let chosenTheme: Theme
        do {
            chosenTheme = try Theme.load(
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
        var manager = Self.start(config, data: data)
        var state = DashboardState(
            experiment: config.name, dataset: config.dataset, model: config.runs[0].settings.model.kind)
        state.symbols = chosen
        state.tau = config.runs[0].settings.measurement.emergence.tau
        state.frozenClock = frozenClock
        state.themeNames = Self.themeNames(environment: environment, shipped: shipped)
        state.presetNames = ExperimentConfig.presetNames
        let fresh = state
        var colors = terminal.depth == .monochrome ? chosenTheme.monochrome() : chosenTheme
        var cpu: Double?, cpuSeconds = Self.processCPUSeconds(), cpuSampledAt = 0.0
        let start = ContinuousClock.now
        loop: while !Terminal.interrupted {
            if let key = terminal.readKey() {
                for effect in state.handle(.key(key)) {
                    switch effect {
                    case .quit: break loop
                    case let .theme(name):
                        do throws(Theme.ThemeError) {
                            colors = try Self.nextTheme(name, after: colors, environment: environment, shipped: shipped)
                            if terminal.depth == .monochrome { colors = colors.monochrome() }
                            state.report("theme \(colors.name)")
                        } catch {
                            state.report(error.description, error: true)
                        }
                    case let .open(name):
                        // The same flags apply to the new experiment; a bad one changes nothing.
                        do {
                            let next = try options.load(name)
                            let nextData = try ExperimentData.load(next)
                            manager.shutdown()
                            (config, manager) = (next, Self.start(next, data: nextData))
                            state = fresh
                            state.experiment = next.name
                            state.dataset = next.dataset
                            state.model = next.runs[0].settings.model.kind
                            state.tau = next.runs[0].settings.measurement.emergence.tau
                            state.report("opened \(next.name): \(next.runs.count) runs")
                        } catch {
                            state.report("\(error)", error: true)
                        }
                    default:
                        Self.apply(effect, to: manager, template: config.runs[0], state: &state)
                    }
                }
            }
            let now = ContinuousClock.now, cpuNow = Self.processCPUSeconds()
            let wall = (now - start).seconds
            if wall - cpuSampledAt >= 1 {
                cpu = (cpuNow - cpuSeconds) / (wall - cpuSampledAt)
                (cpuSeconds, cpuSampledAt) = (cpuNow, wall)
            }
            _ = state.handle(.snapshots(manager.snapshots(), elapsed: frozenClock ? 0 : wall, cpu: cpu))
            let size = terminal.size
            _ = state.handle(.resized(width: size.width, height: size.height))
            terminal.draw(DashboardView.render(state, width: size.width, height: size.height, theme: colors))
        }
        terminal.close()
        manager.shutdown()
    }

    /// A run manager training every run of `config`.
    static func start(_ config: ExperimentConfig, data: ExperimentData) -> RunManager {
        let manager = RunManager(data: data, workers: config.workers)
        for run in config.runs { manager.add(run) }
        manager.start()
        return manager
    }

    /// User time plus system time of the whole process so far, in seconds.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The user's themes and the shipped ones, by name.
    static func themeNames(environment: [String: String], shipped: String?) -> [String] {
        Theme.available(userDirectory: Theme.userDirectory(environment: environment), shippedDirectory: shipped)
    }

    /// The named theme, or (`nil`) the one after `current` in name order.
    static func nextTheme(
        _ name: String?, after current: Theme, environment: [String: String], shipped: String?
    ) throws(Theme.ThemeError) -> Theme {
        let names = themeNames(environment: environment, shipped: shipped)
        let chosen =
            name ?? names.first { $0 > current.name } ?? names.first ?? current.name
        return try Theme.load(
            chosen, userDirectory: Theme.userDirectory(environment: environment), shippedDirectory: shipped)
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
            case .open, .theme, .quit: break
            }
        } catch {
            state.report(error.description, error: true)
        }
    }
}
