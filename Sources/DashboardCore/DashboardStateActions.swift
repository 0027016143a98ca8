import EmergentCore

/// What each key's action does to the state, and the effects it asks for: steering the
/// selected run (pause, learning rate, forks, controls, restart, delete), τ, the curves'
/// options, the overlays. The key table (`KeyTable`) says which key is which action.
extension DashboardState {
    mutating func perform(_ action: DashboardAction) -> [Effect] {
        switch action {
        case .quit: return askToQuit()
        // With the layers pane focused, ↑ and ↓ scroll its table (the drawing bounds the offset).
        case .selectPrevious where pane == .layers: layerScroll = max(layerScroll - 1, 0)
        case .selectNext where pane == .layers: layerScroll += 1
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
            let current = first.settings.learningRate
            let next = action == .learningRateUp ? current * 2 : current / 2
            let range = LiveSetting.learningRate.range
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
            // A restart throws away the run's progress: it asks first, as a delete does.
            let targets = targets
            guard let first = targets.first else { break }
            confirmation = .restart(runs: targets.map(\.id))
            report(
                targets.count == 1
                    ? "restart \(first.config.label) from step 0? (y/n)"
                    : "restart the \(targets.count) runs of \(first.config.label) from step 0? (y/n)")
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
        case .toggleSmoothing:
            let weights = Self.smoothingWeights
            smoothing = weights[((weights.firstIndex(of: smoothing) ?? 0) + 1) % weights.count]
            report(smoothing == 0 ? "smoothing off" : "smoothing \(smoothing)")
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
        case .filter: filterInput = filter ?? ""
        case .pickInit: picker = 0
        case .forkWithEdits:
            guard let run = selectedRun else {
                report("no run is selected", error: true)
                break
            }
            let settings = run.config.settings
            command =
                "fork \(run.config.initializer) lr=\(RunEdit.format(run.settings.learningRate))"
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
        let range = LiveSetting.tau.range
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
    mutating func pick(_ key: Key) -> [Effect] {
        let schemes = InitializerSpec.Scheme.allCases
        switch key {
        case .up, .character("k"): picker = max((picker ?? 0) - 1, 0)
        case .down, .character("j"): picker = min((picker ?? 0) + 1, schemes.count - 1)
        case .escape, .character("q"): picker = nil
        case .enter:
            let scheme = schemes[picker ?? 0]
            picker = nil
            // A weights run has no default: the command line opens for the file's path.
            if scheme == .weights {
                command = "add weights:file="
                return []
            }
            return run(command: "add \(scheme.rawValue)")
        default: break
        }
        return []
    }
}

extension DashboardState {
    /// A key while the `/` filter is typed: Enter puts it in force (empty: no filter), Esc
    /// leaves the filter as it was.
    mutating func editFilter(_ key: Key) {
        switch key {
        case .escape: filterInput = nil
        case .backspace: if filterInput?.isEmpty == false { filterInput?.removeLast() }
        case .enter:
            filter = filterInput.flatMap { $0.isEmpty ? nil : $0 }
            filterInput = nil
            selected = 0
            report(filter.map { "showing the runs whose name holds '\($0)': \(rows.count) rows" } ?? "showing every run")
        case let .character(character) where !(character.asciiValue.map { $0 < 32 } ?? false):
            filterInput?.append(character)
        default: break
        }
    }
}

extension DashboardState {
    /// A click at a cell: the pane under it takes the focus; a row of the runs table is selected.
    mutating func click(x: Int, y: Int) {
        guard let (clicked, area) = DashboardView.layout(self, width: size.width, height: size.height)
            .last(where: { $0.1.contains(x: x, y: y) })
        else { return }
        pane = clicked
        // The table's rows start under its border and its header line.
        if clicked == .runs, rows.indices.contains(y - area.y - 2) { selected = y - area.y - 2 }
    }
}
