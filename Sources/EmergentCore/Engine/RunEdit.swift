/// What a fork changes in a copy of a run's configuration: the initializer, the optimizer's
/// learning rate, momentum or weight decay, the seed, the length, or turning it into the
/// equivalent-LR control of its emergence init. Parsed from `key=value` words (`:fork` in the
/// dashboard) and checked against the run before anything is created.
public struct RunEdit: Sendable, Equatable {
    public var initializer: InitializerSpec?
    public var learningRate: Double?
    public var momentum: Double?
    public var weightDecay: Double?
    public var seed: UInt64?
    public var epochs: Int?
    /// Make the run the equivalent-LR control of its emergence-promoting initializer.
    public var control = false

    public init(
        initializer: InitializerSpec? = nil, learningRate: Double? = nil, momentum: Double? = nil,
        weightDecay: Double? = nil, seed: UInt64? = nil, epochs: Int? = nil, control: Bool = false
    ) {
        self.initializer = initializer
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.seed = seed
        self.epochs = epochs
        self.control = control
    }

    /// The setting keys a fork takes besides an initializer.
    public static let keys = ["lr", "momentum", "wd", "seed", "epochs"]

    /// Reads words like `emergence:alpha=1.5 lr=0.1 seed=3`: a word whose part before `=` is
    /// a setting key sets it, `control` makes the equivalent-LR control, and any other word is
    /// the initializer.
    public init(parsing words: [String]) throws(RunCommandError) {
        for word in words {
            if word == "control" {
                control = true
                continue
            }
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, Self.keys.contains(parts[0]) else {
                guard initializer == nil else {
                    throw RunCommandError(
                        message:
                            "'\(word)' is a second initializer; settings are \(Self.keys.joined(separator: "=, "))=")
                }
                do { initializer = try InitializerSpec(parsing: word) } catch {
                    throw RunCommandError(message: error.description)
                }
                continue
            }
            let (key, text) = (parts[0], parts[1])
            switch key {
            case "seed":
                guard let value = UInt64(text), value <= 1 << 53 else {
                    throw RunCommandError(
                        message: "seed=\(text) is not valid; it must be a whole number in 0...\(1 << 53)")
                }
                seed = value
            case "epochs":
                guard let value = Int(text), RunCommand.epochRange.contains(value) else {
                    throw RunCommandError(
                        message:
                            "epochs=\(text) is not valid; it must be a whole number in \(RunCommand.epochRange.lowerBound)...\(RunCommand.epochRange.upperBound)"
                    )
                }
                epochs = value
            default:
                let parameter: ParameterChange.Parameter =
                    key == "lr" ? .learningRate : key == "momentum" ? .momentum : .weightDecay
                let range = parameter.range
                guard let value = Double(text), value.isFinite, range.contains(value) else {
                    throw RunCommandError(
                        message:
                            "\(key)=\(text) is out of range; it must be in \(range.lowerBound)...\(range.upperBound)")
                }
                switch parameter {
                case .learningRate: learningRate = value
                case .momentum: momentum = value
                default: weightDecay = value
                }
            }
        }
    }

    /// Whether only the seed changes: the fork then belongs to the original's seed group.
    public var changesOnlySeed: Bool {
        self == RunEdit(seed: seed)
    }

    /// The edit with the parent's live settings (`:lr`, `:momentum`, `:wd` changed while it
    /// trained) filled in where the edit sets none: a fork or a control starts from the
    /// parent's current settings, not from those it was started with. Recorded as words, so
    /// the fork's folder rebuilds.
    public func carrying(_ live: LiveSettings, of config: RunConfig) -> RunEdit {
        let optimizer = config.settings.optimizer
        var edit = self
        if edit.learningRate == nil, live.learningRate != optimizer.learningRate { edit.learningRate = live.learningRate }
        if edit.momentum == nil, let momentum = live.momentum, optimizer.kind == .sgd, momentum != optimizer.momentum {
            edit.momentum = momentum
        }
        if edit.weightDecay == nil, live.weightDecay != optimizer.weightDecay { edit.weightDecay = live.weightDecay }
        return edit
    }

    /// The edited copy of `config`; a fork that changes more than the seed starts `newGroup`
    /// (`keepingGroup` decides instead when given: a seed fork that carries live settings
    /// its group shares stays in the group).
    /// Refused with the reason when an edit does not apply (momentum on an Adam run, a
    /// control of a run that is not emergence-promoting).
    public func applied(
        to config: RunConfig, newGroup: Int, keepingGroup: Bool? = nil
    ) throws(RunCommandError) -> RunConfig {
        var edited = config
        if let momentum, let reason = LiveSetting.momentum.refusal(of: momentum, for: config) { throw RunCommandError(message: reason) }
        if let initializer {
            edited.initializer = initializer
            edited.controlOf = nil
            edited.label = initializer.label
        }
        if let learningRate { edited.settings.optimizer.learningRate = learningRate }
        if let momentum { edited.settings.optimizer.momentum = momentum }
        if let weightDecay { edited.settings.optimizer.weightDecay = weightDecay }
        if let seed { edited.seed = seed }
        if let epochs { edited.settings.epochs = epochs }
        if control {
            guard edited.initializer.scheme == .emergence else {
                throw RunCommandError(
                    message:
                        "a control is made from an emergence run; \(edited.label) is \(edited.initializer.scheme.rawValue)"
                )
            }
            let base: InitializerSpec
            do { base = try InitializerSpec(parsing: edited.initializer.options["base"] ?? "kaiming") } catch {
                throw RunCommandError(message: error.description)
            }
            edited.controlOf = edited.initializer
            edited.label = "control of \(edited.label)"
            edited.initializer = base
        }
        // Settings that differ from the label's init get named, so the runs table tells them apart.
        var notes: [String] = []
        if let learningRate { notes.append("lr=\(Self.format(learningRate))") }
        if let momentum { notes.append("momentum=\(Self.format(momentum))") }
        if let weightDecay { notes.append("wd=\(Self.format(weightDecay))") }
        if !notes.isEmpty {
            // A fork of a fork replaces the earlier note of the same setting.
            let keys = notes.map { $0.prefix { $0 != "=" } + "=" }
            let kept = edited.label.split(separator: " ").filter { word in !keys.contains { word.hasPrefix($0) } }
            edited.label = (kept.map(String.init) + notes).joined(separator: " ")
        }
        if !(keepingGroup ?? changesOnlySeed) { edited.group = newGroup }
        // The length is recorded as it was, so the fork rebuilds even from a base whose length changed live.
        var recorded = self
        recorded.epochs = edited.settings.epochs
        edited.origin.edits.append(recorded.words)
        return edited
    }

    /// The edit as words `init(parsing:)` reads back to the same edit (numbers at full precision).
    public var words: [String] {
        var words: [String] = []
        if let initializer { words.append(initializer.description) }
        if let learningRate { words.append("lr=\(learningRate)") }
        if let momentum { words.append("momentum=\(momentum)") }
        if let weightDecay { words.append("wd=\(weightDecay)") }
        if let seed { words.append("seed=\(seed)") }
        if let epochs { words.append("epochs=\(epochs)") }
        if control { words.append("control") }
        return words
    }

    /// A setting as a user types it: whole numbers without a decimal point.
    public static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : "\(value)"
    }
}
