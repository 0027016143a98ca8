import ArgumentParser
import DashboardCore
import EmergentCore
import Foundation
import Synchronization
import TerminalBackend

/// The dashboard's look, shared by `dash` and `view`.
struct DashboardOptions: ParsableArguments {
    @Option(help: "Theme: a name (default, light, high-contrast, ansi16) or a path to a .theme file.")
    var theme = "default"

    @Flag(help: .hidden)
    var frozenClock = false

    @Option(help: "Curve symbols: braille, block or ascii (ascii is automatic when the locale is not UTF-8).")
    var symbols: String?
}

/// The dashboard's loop over any source of run pictures: keys go to the reducer, its effects
/// to `perform`, and each frame draws the latest snapshots. The terminal is restored on every
/// way out.
struct DashboardSession {
    let options: DashboardOptions
    let environment = ProcessInfo.processInfo.environment
    let shipped = EmbeddedData.dataDirectory.map {
        (($0 as NSString).deletingLastPathComponent as NSString).appendingPathComponent("themes")
    }
    var colors: Theme
    let symbols: LineChart.Symbols

    /// Reads the theme and symbols; refused before the terminal changes.
    init(_ options: DashboardOptions) throws {
        self.options = options
        do {
            colors = try Theme.load(
                options.theme, userDirectory: Theme.userDirectory(environment: environment), shippedDirectory: shipped)
        } catch {
            throw ValidationError(error.description)
        }
        let environment = self.environment
        let utf8 =
            ["LC_ALL", "LC_CTYPE", "LANG"].compactMap { environment[$0] }.first { !$0.isEmpty }?.uppercased()
            .contains("UTF-8") ?? false
        var chosen = utf8 ? LineChart.Symbols.braille : .ascii
        if let name = options.symbols {
            guard let value = LineChart.Symbols(rawValue: name) else {
                throw ValidationError("--symbols '\(name)' is not one of: braille, block, ascii")
            }
            chosen = value
        }
        symbols = chosen
    }

    func openTerminal() throws -> Terminal {
        do { return try Terminal(keyTimeout: 50, noColor: !(environment["NO_COLOR"] ?? "").isEmpty) } catch {
            throw ValidationError(error.description)
        }
    }

    /// A fresh state with the session's settings.
    func state(experiment: String, dataset: String, model: String) -> DashboardState {
        var state = DashboardState(experiment: experiment, dataset: dataset, model: model)
        state.symbols = symbols
        state.frozenClock = options.frozenClock
        state.themeNames = Theme.available(
            userDirectory: Theme.userDirectory(environment: environment), shippedDirectory: shipped)
        state.presetNames = ExperimentConfig.presetNames
        return state
    }

    /// Runs until quit or interrupted. `snapshots` gives the runs' pictures for each frame,
    /// `messages` anything to report (write failures), `refresh` anything else to bring up to
    /// date each frame; `perform` carries out other effects.
    mutating func loop(
        _ terminal: Terminal, state: inout DashboardState, snapshots: () -> [RunSnapshot],
        messages: () -> [String] = { [] }, refresh: (inout DashboardState) -> Void = { _ in },
        perform: (DashboardState.Effect, inout DashboardState) -> Void
    ) {
        if terminal.depth == .monochrome { colors = colors.monochrome() }
        var cpu: Double?, cpuSeconds = Self.processCPUSeconds(), cpuSampledAt = 0.0
        let start = ContinuousClock.now
        loop: while !Terminal.interrupted {
            if let key = terminal.readKey() {
                for effect in state.handle(.key(key)) {
                    switch effect {
                    case .quit: break loop
                    case let .theme(name):
                        do throws(Theme.ThemeError) {
                            colors = try nextTheme(name, after: colors)
                            if terminal.depth == .monochrome { colors = colors.monochrome() }
                            state.report("theme \(colors.name)")
                        } catch {
                            state.report(error.description, error: true)
                        }
                    default:
                        perform(effect, &state)
                    }
                }
            }
            for message in messages() { state.report(message, error: true) }
            let now = ContinuousClock.now, cpuNow = Self.processCPUSeconds()
            let wall = (now - start).seconds
            if wall - cpuSampledAt >= 1 {
                cpu = (cpuNow - cpuSeconds) / (wall - cpuSampledAt)
                (cpuSeconds, cpuSampledAt) = (cpuNow, wall)
            }
            _ = state.handle(.snapshots(snapshots(), elapsed: options.frozenClock ? 0 : wall, cpu: cpu))
            refresh(&state)
            let size = terminal.size
            _ = state.handle(.resized(width: size.width, height: size.height))
            terminal.draw(DashboardView.render(state, width: size.width, height: size.height, theme: colors))
        }
        terminal.close()
    }

    /// Exports the session's run folders, or says why there are none.
    static func export(_ writer: RunFolderWriter?, state: inout DashboardState) {
        guard let writer else {
            state.report("this session writes no run folders (--no-run-folders): nothing to export", error: true)
            return
        }
        writer.flush()
        export(writer.directory, state: &state)
    }

    /// Exports run folders into `folder/export` and says where in the status line.
    static func export(_ folder: String, state: inout DashboardState) {
        do {
            let experiment = try ExportedExperiment(path: folder)
            let files = try ExperimentExporter(experiment).write(.all, to: experiment.defaultOutput)
            state.report("exported \(files.count) files to \(experiment.defaultOutput)")
        } catch {
            state.report(error.description, error: true)
        }
    }

    /// User time plus system time of the whole process so far, in seconds.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The named theme, or (`nil`) the one after `current` in name order.
    func nextTheme(_ name: String?, after current: Theme) throws(Theme.ThemeError) -> Theme {
        let user = Theme.userDirectory(environment: environment)
        let names = Theme.available(userDirectory: user, shippedDirectory: shipped)
        let chosen = name ?? names.first { $0 > current.name } ?? names.first ?? current.name
        return try Theme.load(chosen, userDirectory: user, shippedDirectory: shipped)
    }
}
