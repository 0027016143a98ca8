import EmergentCore
import Foundation

/// Everything the dashboard shows, as a value: the reducer changes it in response to
/// messages (keys, new snapshots, a resize) and returns the effects the shell carries out
/// against the run manager. `DashboardView` draws it; nothing here touches the terminal.
public struct DashboardState: Sendable {
    /// The panes in Tab order. `details` holds the selected run's init phase and its events;
    /// `sweep` the heatmap of a sweep, shown only when the runs are one.
    public enum Pane: String, Sendable, CaseIterable { case runs, curves, emergence, layers, details, sweep }
    public enum Metric: String, Sendable, CaseIterable {
        case loss, accuracy, bleu = "BLEU", exactMatch = "exact match"
    }
    public enum XAxis: String, Sendable, CaseIterable { case steps, epochs, wallTime = "wall time" }

    public enum Message: Sendable {
        case key(Key)
        /// The latest snapshots, the seconds since the dashboard opened, and the process's
        /// CPU use as a share of every core (nil until measured).
        case snapshots([RunSnapshot], elapsed: Double, cpu: Double?)
        case resized(width: Int, height: Int)
    }

    public enum Effect: Sendable, Equatable {
        case send(RunCommand, run: Int)
        /// A new run: a copy of `run`'s configuration (the experiment's first entry when nil)
        /// with the edit applied.
        case fork(run: Int?, RunEdit)
        case remove(run: Int)
        /// Replace the experiment (a preset name or a path).
        case open(String)
        /// A theme by name or path; `nil` is the next of the available ones.
        case theme(String?)
        /// Export the runs' folders (CSV, plots, report, TensorBoard).
        case export
        case quit
    }

    /// A question waiting for y or n.
    public enum Confirmation: Sendable, Equatable { case quit, delete(runs: [Int]), open(String) }

    public var experiment: String
    public var dataset: String
    public var model: String
    public var runs: [RunSnapshot] = []
    /// Seed groups shown one row per member.
    public var expandedGroups: Set<Int> = []
    /// The selected row of the runs table.
    public var selected = 0
    public var pane = Pane.runs
    /// The focused pane fills the screen.
    public var zoomed = false
    public var showsHelp = false
    /// Lines of the help scrolled away (↓/↑ while it is open, on short terminals).
    public var helpScroll = 0
    /// The initializer picker (`a`) while it is open: the highlighted entry.
    public var picker: Int?
    /// The `:` command line's text while it is open.
    public var command: String?
    public var status = "? for help, q to quit"
    public var statusIsError = false
    public var logY = true
    public var smoothing = true
    public var metric = Metric.loss
    public var xAxis = XAxis.steps
    /// The layers pane shows every run side by side instead of the selected one.
    public var layersOfAllRuns = false
    public var confirmation: Confirmation?
    public var elapsed = 0.0
    public var cpu: Double?
    /// The clock, CPU use, throughput and ETA are drawn as fixed placeholders, so screens
    /// can be compared as text (goldens, terminal tests).
    public var frozenClock = false
    /// Set in a view of run folders: why steering does nothing (the status line says it).
    public var readOnly: String?
    public var tau = EmergenceSettings.defaultTau
    public var symbols = LineChart.Symbols.braille
    public var size = (width: 0, height: 0)
    /// Names `:theme` and `:open` complete (the shell fills them in).
    public var themeNames: [String] = []
    public var presetNames: [String] = []
    /// Set when the runs are a sweep's cells: the sweep pane draws its heatmap from them.
    public var sweep: SweepPlan?

    public init(experiment: String, dataset: String, model: String) {
        self.experiment = experiment
        self.dataset = dataset
        self.model = model
    }

    public var rows: [RunRow] { RunRow.rows(runs, expanded: expandedGroups) }
    public var selectedRow: RunRow? {
        let rows = rows
        return rows.indices.contains(selected) ? rows[selected] : nil
    }
    /// The run the layers and details panes show: the selected run, or a group's first member.
    public var selectedRun: RunSnapshot? { selectedRow.map { runs[$0.runs[0]] } }
    /// The runs the steering keys act on: the selected run, or every member of a group.
    var targets: [RunSnapshot] { selectedRow?.runs.map { runs[$0] } ?? [] }
    var activeRuns: Bool { runs.contains { !$0.status.isTerminal } }
    var isTranslation: Bool { runs.first?.config.settings.model.isTransformer == true || model == "transformer" }
    /// The metrics `m` cycles through for this experiment's task.
    public var metrics: [Metric] { isTranslation ? Metric.allCases : [.loss, .accuracy] }

    /// The reducer: state + message → state + effects.
    public mutating func handle(_ message: Message) -> [Effect] {
        switch message {
        case let .snapshots(snapshots, elapsed, cpu):
            runs = snapshots
            self.elapsed = elapsed
            self.cpu = cpu
            selected = min(selected, max(rows.count - 1, 0))
            return []
        case let .resized(width, height):
            size = (width, height)
            return []
        case let .key(key):
            return handle(key)
        }
    }

    private mutating func handle(_ key: Key) -> [Effect] {
        if let confirmation {
            self.confirmation = nil
            guard key == .character("y") else {
                report("cancelled")
                return []
            }
            switch confirmation {
            case .quit: return [.quit]
            case let .delete(ids):
                report(ids.count == 1 ? "deleted run \(ids[0])" : "deleted \(ids.count) runs")
                return ids.map { .remove(run: $0) }
            case let .open(name): return [.open(name)]
            }
        }
        if command != nil { return editCommand(key) }
        if showsHelp {
            switch key {
            case .escape, .character("?"), .character("q"): showsHelp = false
            case .down, .character("j"):
                // The help is one column below 170 wide: keys, a blank line, the heading, the commands.
                let lines = KeyTable.bindings.count + 2 + Self.commands.count
                helpScroll = min(helpScroll + 1, max(lines - max(size.height - 2, 0), 0))
            case .up, .character("k"): helpScroll = max(helpScroll - 1, 0)
            default: break
            }
            return []
        }
        if picker != nil { return pick(key) }
        guard let action = KeyTable.action(for: key) else {
            report("'\(key.label)' does nothing here; ? lists the keys", error: true)
            return []
        }
        if action.steersRuns, let readOnly {
            report("'\(key.label)' changes runs; \(readOnly)", error: true)
            return []
        }
        return perform(action)
    }

    private mutating func perform(_ action: DashboardAction) -> [Effect] {
        switch action {
        case .quit: return askToQuit()
        case .selectPrevious: selected = max(selected - 1, 0)
        case .selectNext: selected = min(selected + 1, max(rows.count - 1, 0))
        case .nextPane, .previousPane:
            let panes = Pane.allCases.filter { $0 != .sweep || sweep != nil },
                step = action == .nextPane ? 1 : panes.count - 1
            pane = panes[(panes.firstIndex(of: pane)! + step) % panes.count]
        case .zoom:
            zoomed.toggle()
        case .close:
            zoomed = false
        case .expandGroup, .collapseGroup:
            guard let row = selectedRow, row.kind != .single else {
                report("← and → open and close seed groups; this run has one seed", error: true)
                break
            }
            if action == .expandGroup { expandedGroups.insert(row.group) } else { expandedGroups.remove(row.group) }
            // Keep the cursor on the group's own row.
            selected = rows.firstIndex { $0.group == row.group } ?? 0
        case .togglePause:
            let targets = targets
            guard let first = targets.first else { break }
            if first.status == .paused { return targets.map { .send(.resume, run: $0.id) } }
            guard targets.contains(where: { !$0.status.isTerminal }) else {
                report("\(first.config.label) has ended; r restarts it", error: true)
                break
            }
            return targets.filter { !$0.status.isTerminal }.map { .send(.pause, run: $0.id) }
        case .learningRateUp, .learningRateDown:
            let targets = targets
            guard let first = targets.first else { break }
            let current = first.latest["set/lr"] ?? first.config.settings.optimizer.learningRate
            let next = action == .learningRateUp ? current * 2 : current / 2
            let range = ParameterChange.range(of: .learningRate)
            guard range.contains(next) else {
                report(
                    String(format: "learning rate %g would leave %g...%g", next, range.lowerBound, range.upperBound),
                    error: true)
                break
            }
            report(String(format: "%@: learning rate %g → %g", first.config.label, current, next))
            return targets.map { .send(.set(.learningRate, next), run: $0.id) }
        case .forkAlphaDown, .forkAlphaUp:
            guard let first = targets.first else { break }
            let alpha = Double(first.config.initializer.options["alpha"] ?? "1.2") ?? 1.2
            return forkAlpha(((alpha + (action == .forkAlphaUp ? 0.1 : -0.1)) * 100).rounded() / 100)
        case .addControl:
            return fork(RunEdit(control: true), describe: "added the control of")
        case .restart:
            let targets = targets
            guard let first = targets.first else { break }
            report("restarted \(first.config.label)")
            return targets.map { .send(.restart, run: $0.id) }
        case .delete:
            let targets = targets
            guard let first = targets.first else { break }
            confirmation = .delete(runs: targets.map(\.id))
            report(
                targets.count == 1
                    ? "delete \(first.config.label)? (y/n)"
                    : "delete the \(targets.count) runs of \(first.config.label)? (y/n)")
        case .tauDown, .tauUp:
            return setTau(action == .tauUp ? tau * 2 : tau / 2)
        case .toggleLogY: logY.toggle()
        case .toggleSmoothing: smoothing.toggle()
        case .nextMetric:
            let metrics = metrics
            metric = metrics[((metrics.firstIndex(of: metric) ?? 0) + 1) % metrics.count]
        case .nextXAxis:
            let axes = XAxis.allCases
            xAxis = axes[(axes.firstIndex(of: xAxis)! + 1) % axes.count]
        case .toggleLayersView: layersOfAllRuns.toggle()
        case .nextTheme: return [.theme(nil)]
        case .help:
            showsHelp = true
            helpScroll = 0
        case .commandLine: command = ""
        case .pickInit: picker = 0
        case .forkWithEdits:
            guard let run = selectedRun else {
                report("no run is selected", error: true)
                break
            }
            let settings = run.config.settings
            command =
                "fork \(run.config.initializer) lr=\(RunEdit.format(run.latest["set/lr"] ?? settings.optimizer.learningRate))"
                + " seed=\(run.config.seed) epochs=\(settings.epochs)"
        }
        return []
    }

    /// One fork per target run (a group forks into a group with the same seeds).
    mutating func fork(_ edit: RunEdit, describe verb: String) -> [Effect] {
        let targets = targets
        guard let first = targets.first else {
            report("no run is selected", error: true)
            return []
        }
        do {
            for target in targets { _ = try edit.applied(to: target.config, newGroup: 0) }
        } catch {
            report(error.message, error: true)
            return []
        }
        report("\(verb) \(first.config.label)" + (targets.count > 1 ? " (\(targets.count) seeds)" : ""))
        return targets.map { .fork(run: $0.id, edit) }
    }

    mutating func forkAlpha(_ alpha: Double) -> [Effect] {
        guard let first = targets.first, first.config.initializer.scheme == .emergence else {
            report("α forks an emergence run; select one first", error: true)
            return []
        }
        do throws(InitializerSpec.SpecError) {
            let spec = try first.config.initializer.setting("alpha", to: RunEdit.format(alpha))
            return fork(RunEdit(initializer: spec), describe: "forked with α \(RunEdit.format(alpha)):")
        } catch {
            report(error.description, error: true)
            return []
        }
    }

    mutating func setTau(_ value: Double) -> [Effect] {
        let range = ParameterChange.range(of: .tau)
        guard value.isFinite, range.contains(value) else {
            report("τ \(value) is out of range; it must be in \(range.lowerBound)...\(range.upperBound)", error: true)
            return []
        }
        tau = value
        report(String(format: "τ = %g for every run", value))
        return runs.map { .send(.set(.tau, value), run: $0.id) }
    }

    /// The initializer picker: arrows move, Enter adds a run with the highlighted scheme's
    /// defaults, Esc closes it.
    private mutating func pick(_ key: Key) -> [Effect] {
        let schemes = InitializerSpec.Scheme.allCases
        switch key {
        case .up, .character("k"): picker = max((picker ?? 0) - 1, 0)
        case .down, .character("j"): picker = min((picker ?? 0) + 1, schemes.count - 1)
        case .escape, .character("q"): picker = nil
        case .enter:
            let scheme = schemes[picker ?? 0]
            picker = nil
            return run(command: "add \(scheme.rawValue)")
        default: break
        }
        return []
    }

    public mutating func report(_ message: String, error: Bool = false) {
        status = message
        statusIsError = error
    }
}
