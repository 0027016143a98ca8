import EmergentCore
import Foundation

/// The `:` command line: editing, Tab completion and the commands themselves. A bad
/// command changes nothing and says in the status line what would be valid.
extension DashboardState {
    public struct Command: Sendable {
        public let name: String
        public let usage: String
        public let help: String
        /// Whether it changes runs (so a read-only view refuses it).
        public var steersRuns = true
    }

    /// Every command, in the order the help overlay lists them.
    public static let commands: [Command] = [
        Command(name: "lr", usage: ":lr 3e-4", help: "learning rate of the selected run (the schedule's peak)"),
        Command(name: "momentum", usage: ":momentum 0.8", help: "SGD momentum of the selected run"),
        Command(name: "wd", usage: ":wd 1e-4", help: "weight decay of the selected run"),
        Command(name: "alpha", usage: ":alpha 1.5", help: "fork the selected emergence run with this α"),
        Command(name: "add", usage: ":add emergence:alpha=1.5", help: "add a run with this initializer"),
        Command(
            name: "fork", usage: ":fork nio lr=0.1 seed=3",
            help: "fork the selected run: initializer and lr=, momentum=, wd=, seed=, epochs="),
        Command(name: "seed", usage: ":seed 7", help: "fork the selected run with this seed (same group)"),
        Command(name: "seeds", usage: ":seeds 3", help: "grow the selected run into a group of this many seeds"),
        Command(name: "tau", usage: ":tau 0.1", help: "τ of the emergence measure, for every run"),
        Command(name: "epochs", usage: ":epochs 30", help: "length of every run (a finished run trains on)"),
        Command(
            name: "export", usage: ":export", help: "export the runs: CSV, SVG plots, a report, TensorBoard files",
            steersRuns: false),
        Command(name: "theme", usage: ":theme light", help: "switch to a theme by name or path", steersRuns: false),
        Command(name: "open", usage: ":open cnn", help: "open another experiment (a preset or a file)"),
        Command(name: "q", usage: ":q", help: "quit (asks first while runs are active)", steersRuns: false),
    ]

    mutating func editCommand(_ key: Key) -> [Effect] {
        switch key {
        case .escape:
            command = nil
        case .backspace:
            if command?.isEmpty == true { command = nil } else { command?.removeLast() }
        case .enter:
            let text = command ?? ""
            command = nil
            return run(command: text)
        case .tab:
            complete()
        case .character("\u{15}"):
            // Ctrl-U, as in a shell: the whole line goes.
            command = ""
        case .character("\u{17}"):
            // Ctrl-W: the word before the cursor (and the spaces after it) goes.
            var text = command ?? ""
            while text.last == " " { text.removeLast() }
            while let last = text.last, last != " " { text.removeLast() }
            command = text
        case let .character(character) where !(character.asciiValue.map { $0 < 32 } ?? false):
            command?.append(character)
        default:
            break
        }
        return []
    }

    /// The candidates for the word being typed: command names first, then initializer
    /// names after `add` and `fork`, theme names after `theme`, presets after `open`.
    func completions(of text: String) -> (word: String, candidates: [String]) {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let word = words.last ?? ""
        guard words.count > 1 else { return (word, Self.commands.map(\.name).filter { $0.hasPrefix(word) }) }
        let pool: [String]
        switch words[0] {
        case "add", "fork": pool = InitializerSpec.Scheme.allCases.map(\.rawValue) + RunEdit.keys.map { $0 + "=" }
        case "theme": pool = themeNames
        case "open": pool = presetNames
        default: pool = []
        }
        return (word, pool.filter { $0.hasPrefix(word) })
    }

    /// Tab: completes a unique candidate, else the candidates' common prefix, and lists them.
    mutating func complete() {
        guard let text = command else { return }
        let (word, candidates) = completions(of: text)
        guard !candidates.isEmpty else {
            report("nothing completes '\(word)'", error: true)
            return
        }
        var prefix = candidates[0]
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        let stem = String(text.dropLast(word.count))
        if candidates.count == 1 {
            command = stem + prefix + (prefix.hasSuffix("=") ? "" : " ")
            report(":" + (command ?? ""))
        } else {
            command = stem + prefix
            report(candidates.joined(separator: "  "))
        }
    }

    /// Runs a `:` command; a bad one leaves everything as it was and says why.
    public mutating func run(command text: String) -> [Effect] {
        let words = text.split(separator: " ").map(String.init)
        guard let name = words.first else { return [] }
        let arguments = Array(words.dropFirst())
        guard let entry = Self.commands.first(where: { $0.name == name }) ?? (name == "quit" ? Self.commands.last : nil)
        else {
            report(
                "unknown command ':\(name)'; commands: " + Self.commands.map { ":" + $0.name }.joined(separator: ", "),
                error: true)
            return []
        }
        if entry.name == "q" { return askToQuit() }
        if entry.steersRuns, let readOnly {
            report(":\(entry.name) changes runs; \(readOnly)", error: true)
            return []
        }
        if entry.name == "export" {
            guard arguments.isEmpty else {
                report(":export takes no value; it writes into the experiment folder's export", error: true)
                return []
            }
            return [.export]
        }
        if entry.name == "fork" {
            do { return fork(try RunEdit(parsing: arguments), describe: "forked") } catch {
                report(error.message, error: true)
                return []
            }
        }
        guard arguments.count == 1 else {
            report(":\(entry.name) takes one value, like \(entry.usage)", error: true)
            return []
        }
        let argument = arguments[0]
        switch entry.name {
        case "add":
            do {
                let spec = try InitializerSpec(parsing: argument)
                report("added \(spec)")
                return [.fork(run: selectedRun?.id, RunEdit(initializer: spec))]
            } catch {
                report(error.description, error: true)
                return []
            }
        case "theme":
            return [.theme(argument)]
        case "open":
            guard activeRuns else { return [.open(argument)] }
            confirmation = .open(argument)
            report("runs are still training: stop them and open \(argument)? (y/n)")
            return []
        case "seed":
            do {
                return fork(try RunEdit(parsing: ["seed=\(argument)"]), describe: "forked with seed \(argument):")
            } catch {
                report(error.message, error: true)
                return []
            }
        case "seeds", "epochs":
            guard let count = Int(argument) else {
                report(":\(entry.name) takes a whole number, like \(entry.usage)", error: true)
                return []
            }
            return entry.name == "seeds" ? growGroup(to: count) : setEpochs(count)
        default:
            break
        }
        guard let value = Double(argument) else {
            report(":\(entry.name) takes one number, like \(entry.usage)", error: true)
            return []
        }
        if entry.name == "tau" { return setTau(value) }
        if entry.name == "alpha" {
            let range = InitializerSpec.parameters(of: .emergence).first { $0.name == "alpha" }?.range ?? 0.01...100
            guard range.contains(value) else {
                report(
                    ":alpha \(argument) is out of range; it must be in \(range.lowerBound)...\(range.upperBound)",
                    error: true)
                return []
            }
            return forkAlpha(value)
        }
        let parameter: ParameterChange.Parameter =
            entry.name == "lr" ? .learningRate : entry.name == "momentum" ? .momentum : .weightDecay
        let range = parameter.range
        guard value.isFinite, range.contains(value) else {
            report(
                ":\(name) \(argument) is out of range; it must be in \(range.lowerBound)...\(range.upperBound)",
                error: true)
            return []
        }
        let targets = targets
        guard let first = targets.first else {
            report("no run is selected", error: true)
            return []
        }
        if let reason = parameter.refusal(of: value, for: first.config) {
            report(reason, error: true)
            return []
        }
        report("\(first.config.label): \(name) = \(argument)")
        return targets.map { .send(.set(parameter, value), run: $0.id) }
    }

    mutating func askToQuit() -> [Effect] {
        // A view's runs train elsewhere: quitting it stops nothing.
        guard activeRuns, readOnly == nil else { return [.quit] }
        confirmation = .quit
        report("runs are still training: quit? (y/n)")
        return []
    }

    /// `:seeds K`: forks the selected run (or group) with new seeds until it has K.
    mutating func growGroup(to count: Int) -> [Effect] {
        guard (1...100).contains(count) else {
            report(":seeds \(count) is out of range; it must be in 1...100", error: true)
            return []
        }
        let members = targets
        guard let first = members.first else {
            report("no run is selected", error: true)
            return []
        }
        guard count > members.count else {
            report(
                "\(first.config.label) already has \(members.count) seed\(members.count == 1 ? "" : "s"); d deletes runs",
                error: true)
            return []
        }
        var next = (members.map(\.config.seed).max() ?? 0) + 1
        let used = Set(runs.filter { $0.config.group == first.config.group }.map(\.config.seed))
        var effects: [Effect] = []
        while effects.count < count - members.count {
            if !used.contains(next) { effects.append(.fork(run: first.id, RunEdit(seed: next))) }
            next += 1
        }
        expandedGroups.remove(first.config.group)
        report("\(first.config.label): \(count) seeds")
        return effects
    }

    mutating func setEpochs(_ count: Int) -> [Effect] {
        let range = RunCommand.epochRange
        guard range.contains(count) else {
            report(
                ":epochs \(count) is out of range; it must be in \(range.lowerBound)...\(range.upperBound)", error: true
            )
            return []
        }
        report("every run now trains \(count) epoch\(count == 1 ? "" : "s")")
        return runs.map { .send(.setEpochs(count), run: $0.id) }
    }
}
