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
    public enum XAxis: String, Sendable, CaseIterable {
        case steps, epochs, cpuTime = "CPU time"

        /// The axis title under a chart: the quantity and its unit.
        public var title: String {
            switch self {
            case .steps: "training step"
            case .epochs: "epoch"
            case .cpuTime: "CPU seconds of the run"
            }
        }
    }

    public enum Message: Sendable {
        case key(Key)
        /// The latest snapshots, the seconds since the dashboard opened, and the process's
        /// CPU use as a share of every core (nil until measured).
        case snapshots([RunSnapshot], elapsed: Double, cpu: Double?, resident: Int? = nil)
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
    public enum Confirmation: Sendable, Equatable { case quit, delete(runs: [Int]), restart(runs: [Int]), open(String) }

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
    /// Layers scrolled away in the layer table (↓/↑ while the layers pane is focused).
    public var layerScroll = 0
    /// Lines of the help scrolled away (↓/↑ while it is open, on short terminals).
    public var helpScroll = 0
    /// The initializer picker (`a`) while it is open: the highlighted entry.
    public var picker: Int?
    /// The `:` command line's text while it is open.
    public var command: String?
    /// The `/` filter's text while it is typed, and the filter in force (runs whose name holds it).
    public var filterInput: String?
    public var filter: String?
    public var status = "? for help, q to quit"
    public var statusIsError = false
    public var logY = true
    /// The curves' smoothing weight (a debiased exponential moving average, as TensorBoard's
    /// slider); `s` cycles through `smoothingWeights`, 0 is off.
    public var smoothing = 0.9
    public static let smoothingWeights = [0, 0.6, 0.9, 0.99]
    public var metric = Metric.loss
    public var xAxis = XAxis.steps
    /// The layers pane shows every run side by side instead of the selected one.
    public var layersOfAllRuns = false
    public var confirmation: Confirmation?
    public var elapsed = 0.0
    public var cpu: Double?
    /// The process's resident memory, bytes.
    public var resident: Int?
    /// Each run's samples/s over the last seconds of `elapsed`, for the table, ETAs and header.
    public var rates = ProgressRates()
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

    public var rows: [RunRow] {
        let all = RunRow.rows(runs, expanded: expandedGroups)
        guard let filter, !filter.isEmpty else { return all }
        return all.filter { row in row.runs.contains { runs[$0].config.label.localizedCaseInsensitiveContains(filter) } }
    }
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
        case let .snapshots(snapshots, elapsed, cpu, resident):
            runs = snapshots
            self.elapsed = elapsed
            rates.record(snapshots, at: elapsed)
            self.cpu = cpu
            self.resident = resident
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
        // The wheel scrolls as ↑ and ↓ do (the runs, the focused layer table, the help).
        if key == .wheelUp { return handle(.up) }
        if key == .wheelDown { return handle(.down) }
        if case let .click(x, y) = key {
            // A click outside a prompt or an overlay focuses its pane and, on a run, selects it.
            if confirmation == nil, command == nil, filterInput == nil, !showsHelp, picker == nil { click(x: x, y: y) }
            return []
        }
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
            case let .restart(ids):
                report(ids.count == 1 ? "restarted run \(ids[0])" : "restarted \(ids.count) runs")
                return ids.map { .send(.restart, run: $0) }
            case let .open(name): return [.open(name)]
            }
        }
        if command != nil { return editCommand(key) }
        if filterInput != nil {
            editFilter(key)
            return []
        }
        if showsHelp {
            switch key {
            case .escape, .character("?"), .character("q"): showsHelp = false
            case .down, .character("j"):
                let lines = DashboardView.helpColumns(width: size.width).columns.map(\.count).max() ?? 0
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

    public mutating func report(_ message: String, error: Bool = false) {
        status = message
        statusIsError = error
    }
}
