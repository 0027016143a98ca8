import Foundation

/// What a key does in the dashboard. The key table maps keys to these; the help overlay is
/// generated from the same table, so it cannot drift from what the keys do.
public enum DashboardAction: Sendable, Hashable {
    case quit, selectPrevious, selectNext, nextPane, previousPane, togglePause, learningRateUp, learningRateDown
    case restart, delete, addControl, forkAlphaDown, forkAlphaUp, toggleLogY, toggleSmoothing, nextMetric, help
    case commandLine, filter, tauDown, tauUp, zoom, close, expandGroup, collapseGroup, pickInit, forkWithEdits
    case nextXAxis, nextTheme, toggleLayersView

    /// Whether the action changes runs (so a read-only view refuses it).
    public var steersRuns: Bool {
        switch self {
        case .togglePause, .learningRateUp, .learningRateDown, .restart, .delete, .addControl, .forkAlphaDown,
            .forkAlphaUp, .tauDown, .tauUp, .pickInit, .forkWithEdits:
            true
        default: false
        }
    }
}

/// The key table: every key, what it does, and its help text.
public enum KeyTable {
    public struct Binding: Sendable {
        public let keys: [Key]
        public let action: DashboardAction
        public let help: String
    }

    public static let bindings: [Binding] = [
        Binding(keys: [.character("q")], action: .quit, help: "quit (asks first while runs are active)"),
        Binding(keys: [.up, .character("k")], action: .selectPrevious, help: "select the previous run"),
        Binding(keys: [.down, .character("j")], action: .selectNext, help: "select the next run"),
        Binding(keys: [.tab], action: .nextPane, help: "focus the next pane"),
        Binding(keys: [.backTab], action: .previousPane, help: "focus the previous pane"),
        Binding(keys: [.enter], action: .zoom, help: "expand the focused pane to the whole screen, or back"),
        Binding(keys: [.escape], action: .close, help: "close the overlay, the expanded pane or the command line"),
        Binding(keys: [.right], action: .expandGroup, help: "open the selected seed group: one row per seed"),
        Binding(keys: [.left], action: .collapseGroup, help: "close the seed group: one row of mean ± std"),
        Binding(keys: [.character(" ")], action: .togglePause, help: "pause or resume the selected run"),
        Binding(keys: [.character("+")], action: .learningRateUp, help: "learning rate of the selected run × 2"),
        Binding(keys: [.character("-")], action: .learningRateDown, help: "learning rate of the selected run ÷ 2"),
        Binding(keys: [.character("[")], action: .forkAlphaDown, help: "fork the selected emergence run with α − 0.1"),
        Binding(keys: [.character("]")], action: .forkAlphaUp, help: "fork the selected emergence run with α + 0.1"),
        Binding(
            keys: [.character("c")], action: .addControl,
            help: "add the equivalent-LR control of the selected emergence run"),
        Binding(keys: [.character("a")], action: .pickInit, help: "add a run: pick an initializer from the catalog"),
        Binding(
            keys: [.character("f")], action: .forkWithEdits,
            help: "fork the selected run with edits (the command line, prefilled)"),
        Binding(keys: [.character("r")], action: .restart, help: "restart the selected run from step 0 (asks first)"),
        Binding(keys: [.character("d")], action: .delete, help: "delete the selected run (asks first)"),
        Binding(keys: [.character("<")], action: .tauDown, help: "τ ÷ 2 for every run (emergence recomputes)"),
        Binding(keys: [.character(">")], action: .tauUp, help: "τ × 2 for every run (emergence recomputes)"),
        Binding(keys: [.character("l")], action: .toggleLogY, help: "log-y on the curves"),
        Binding(keys: [.character("s")], action: .toggleSmoothing, help: "smoothing of the curves: 0, 0.6, 0.9, 0.99"),
        Binding(
            keys: [.character("m")], action: .nextMetric,
            help: "next metric on the curves (loss, accuracy; BLEU and exact match for translation)"),
        Binding(keys: [.character("x")], action: .nextXAxis, help: "x axis of the curves: steps, epochs, CPU seconds"),
        Binding(keys: [.character("v")], action: .toggleLayersView, help: "layers of the selected run, or of all runs"),
        Binding(keys: [.character("t")], action: .nextTheme, help: "next theme"),
        Binding(
            keys: [.character(":")], action: .commandLine,
            help: "command line (the commands are listed below); Tab completes"),
        Binding(
            keys: [.character("/")], action: .filter,
            help: "show only the runs whose name holds a text (Enter keeps it; / then Enter clears)"),
        Binding(keys: [.character("?")], action: .help, help: "this help (Esc closes it)"),
    ]

    /// The action of a key, if it has one.
    public static func action(for key: Key) -> DashboardAction? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// The help overlay's lines, one per binding.
    public static var helpLines: [String] {
        bindings.map { binding in
            binding.keys.map(\.label).joined(separator: " ").padding(toLength: 12, withPad: " ", startingAt: 0)
                + binding.help
        }
    }
}
