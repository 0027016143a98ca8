import EmergentCore
import Foundation

/// Everything the dashboard shows, as a value: the reducer changes it in response to
/// messages (keys, new snapshots) and returns the effects the shell carries out against the
/// run manager. `DashboardView` draws it; nothing here touches the terminal.
public struct DashboardState: Sendable {
    public enum Pane: String, Sendable, CaseIterable { case runs, curves, emergence, layers }
    public enum Metric: String, Sendable, CaseIterable { case loss, accuracy }

    public enum Message: Sendable {
        case key(Key)
        /// The latest snapshots and the seconds since the dashboard opened.
        case snapshots([RunSnapshot], elapsed: Double)
    }

    public enum Effect: Sendable, Equatable {
        case send(RunCommand, run: Int)
        case sendAll(RunCommand)
        case forkEmergence(run: Int, alpha: Double)
        case addControl(run: Int)
        case remove(run: Int)
        case quit
    }

    /// A question waiting for y or n.
    public enum Confirmation: Sendable, Equatable { case quit, delete(run: Int) }

    public var experiment: String
    public var dataset: String
    public var model: String
    public var runs: [RunSnapshot] = []
    public var selected = 0
    public var pane = Pane.runs
    public var showsHelp = false
    /// The `:` command line's text while it is open.
    public var command: String?
    public var status = "? for help, q to quit"
    public var statusIsError = false
    public var logY = true
    public var smoothing = true
    public var metric = Metric.loss
    public var confirmation: Confirmation?
    public var elapsed = 0.0
    public var tau = EmergenceSettings.defaultTau
    public var symbols = LineChart.Symbols.braille

    public init(experiment: String, dataset: String, model: String) {
        self.experiment = experiment
        self.dataset = dataset
        self.model = model
    }

    public var selectedRun: RunSnapshot? { runs.indices.contains(selected) ? runs[selected] : nil }
    var activeRuns: Bool { runs.contains { !$0.status.isTerminal } }

    /// The reducer: state + message → state + effects.
    public mutating func handle(_ message: Message) -> [Effect] {
        switch message {
        case let .snapshots(snapshots, elapsed):
            runs = snapshots
            self.elapsed = elapsed
            selected = min(selected, max(runs.count - 1, 0))
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
            case let .delete(run):
                report("deleted run \(run)")
                return [.remove(run: run)]
            }
        }
        if command != nil { return editCommand(key) }
        if showsHelp {
            if key == .escape || key == .character("?") || key == .character("q") { showsHelp = false }
            return []
        }
        guard let action = KeyTable.action(for: key) else {
            if key != .escape { report("'\(key.label)' does nothing here; ? lists the keys", error: true) }
            return []
        }
        return perform(action)
    }

    private mutating func perform(_ action: DashboardAction) -> [Effect] {
        switch action {
        case .quit:
            guard activeRuns else { return [.quit] }
            confirmation = .quit
            report("runs are still training: quit? (y/n)")
        case .selectPrevious: selected = max(selected - 1, 0)
        case .selectNext: selected = min(selected + 1, max(runs.count - 1, 0))
        case .nextPane: pane = Pane.allCases[(Pane.allCases.firstIndex(of: pane)! + 1) % Pane.allCases.count]
        case .previousPane:
            pane = Pane.allCases[(Pane.allCases.firstIndex(of: pane)! + Pane.allCases.count - 1) % Pane.allCases.count]
        case .togglePause:
            guard let run = selectedRun else { break }
            if run.status == .paused { return [.send(.resume, run: run.id)] }
            if run.status.isTerminal { report("\(run.config.label) has ended; r restarts it", error: true); break }
            return [.send(.pause, run: run.id)]
        case .learningRateUp, .learningRateDown:
            guard let run = selectedRun else { break }
            let current = run.latest["set/lr"] ?? run.config.settings.optimizer.learningRate
            let next = action == .learningRateUp ? current * 2 : current / 2
            report(String(format: "%@: learning rate %g → %g", run.config.label, current, next))
            return [.send(.set(.learningRate, next), run: run.id)]
        case .forkAlphaDown, .forkAlphaUp:
            guard let run = selectedRun else { break }
            guard run.config.initializer.scheme == .emergence,
                let alpha = Double(run.config.initializer.options["alpha"] ?? "1.2")
            else {
                report("[ and ] fork emergence runs; \(run.config.label) is not one", error: true)
                break
            }
            let next = ((alpha + (action == .forkAlphaUp ? 0.1 : -0.1)) * 100).rounded() / 100
            guard next >= 0.01 else { report("α must stay ≥ 0.01", error: true); break }
            report(String(format: "forked %@ with α %g", run.config.label, next))
            return [.forkEmergence(run: run.id, alpha: next)]
        case .addControl:
            guard let run = selectedRun, run.config.initializer.scheme == .emergence else {
                report("c adds the control of an emergence run; select one first", error: true)
                break
            }
            report("added the control of \(run.config.label)")
            return [.addControl(run: run.id)]
        case .restart:
            guard let run = selectedRun else { break }
            report("restarted \(run.config.label)")
            return [.send(.restart, run: run.id)]
        case .delete:
            guard let run = selectedRun else { break }
            confirmation = .delete(run: run.id)
            report("delete \(run.config.label)? (y/n)")
        case .tauDown, .tauUp:
            return setTau(action == .tauUp ? tau * 2 : tau / 2)
        case .toggleLogY: logY.toggle()
        case .toggleSmoothing: smoothing.toggle()
        case .nextMetric: metric = metric == .loss ? .accuracy : .loss
        case .help: showsHelp = true
        case .commandLine: command = ""
        }
        return []
    }

    private mutating func setTau(_ value: Double) -> [Effect] {
        let range = ParameterChange.range(of: .tau)
        guard value.isFinite, range.contains(value) else {
            report("τ \(value) is out of range; it must be in \(range.lowerBound)...\(range.upperBound)", error: true)
            return []
        }
        tau = value
        report(String(format: "τ = %g for every run", value))
        return [.sendAll(.set(.tau, value))]
    }

    private mutating func editCommand(_ key: Key) -> [Effect] {
        switch key {
        case .escape:
            command = nil
            return []
        case .backspace:
            if command?.isEmpty == true { command = nil } else { command?.removeLast() }
            return []
        case .enter:
            let text = command ?? ""
            command = nil
            return run(command: text)
        case let .character(character):
            command?.append(character)
            return []
        default:
            return []
        }
    }

    /// Runs a `:` command; a bad one leaves everything as it was and says why.
    public mutating func run(command text: String) -> [Effect] {
        let words = text.split(separator: " ").map(String.init)
        guard let name = words.first else { return [] }
        if name == "q" || name == "quit" { return perform(.quit) }
        let parameters: [String: ParameterChange.Parameter] = [
            "lr": .learningRate, "momentum": .momentum, "wd": .weightDecay,
        ]
        guard name == "tau" || parameters[name] != nil else {
            report("unknown command ':\(name)'; commands: :lr, :momentum, :wd, :tau, :q", error: true)
            return []
        }
        guard words.count == 2, let value = Double(words[1]) else {
            report(
                ":\(name) takes one number, like :\(name) \(name == "lr" ? "3e-4" : name == "tau" ? "0.1" : "0.9")",
                error: true)
            return []
        }
        if name == "tau" { return setTau(value) }
        let parameter = parameters[name]!
        let range = ParameterChange.range(of: parameter)
        guard value.isFinite, range.contains(value) else {
            report(
                ":\(name) \(words[1]) is out of range; it must be in \(range.lowerBound)...\(range.upperBound)",
                error: true)
            return []
        }
        guard let run = selectedRun else { report("no run is selected", error: true); return [] }
        if let reason = run.config.refusal(of: parameter) { report(reason, error: true); return [] }
        report("\(run.config.label): \(name) = \(words[1])")
        return [.send(.set(parameter, value), run: run.id)]
    }

    public mutating func report(_ message: String, error: Bool = false) {
        status = message
        statusIsError = error
    }
}
