@testable import DashboardCore
@testable import EmergentCore
import Foundation
import Testing

@Suite("Dashboard: reducer, key table and help, views at every size")
struct DashboardStateTests {
    /// Two runs (kaiming and emergence α = 1.2) with a few steps, a measurement and an epoch.
    static func snapshots() throws -> [RunSnapshot] {
        let experiment = try ExperimentConfig.parse(
            JSONParser.parse(
                #"{"model": {"widths": [16, 16]}, "runs": [{"init": "kaiming"}, {"init": "emergence:alpha=1.2"}]}"#),
            defaultName: "test")
        return experiment.runs.enumerated().map { index, config in
            var snapshot = RunSnapshot(id: index, config: config, stepsPerEpoch: 10)
            snapshot.apply(.started(seed: 0))
            snapshot.apply(.initialized(InitReport(layers: [], probeForwards: 0)))
            for step in 1...20 {
                snapshot.apply(
                    .step(
                        StepRecord(
                            step: step, epoch: step / 10, loss: 2.3 / Double(step + index), accuracy: 0.5,
                            learningRate: 0.05,
                            gradientNorm: 1, samples: 128, samplesPerSecond: 1000, wallTime: Double(step))))
            }
            let layer = LayerMeasurement(
                name: "dense1", shape: [16, 784], scale: 1, log10E: 2, activeFraction: 0.8, weightRMS: 0.05,
                activationMean: 0.3, activationStd: 1, gradientNorm: 0.5, log10UpdateRatio: -3,
                deadFraction: 0, saturatedFraction: nil)
            snapshot.apply(
                .measured(
                    MeasurementRecord(
                        step: 20, log10E: 3.5, log10CompleteE: 3, log10Relative: -2, layers: [layer],
                        wallTime: 20)))
            snapshot.apply(
                .epochEnded(
                    EpochRecord(
                        epoch: 1, step: 10, trainLoss: 0.5, trainAccuracy: 0.8,
                        test: ["test/loss": 0.6, "test/acc": 0.81], wallTime: 10)))
            return snapshot
        }
    }

    static func state() throws -> DashboardState {
        var state = DashboardState(experiment: "test", dataset: "fashion-mnist-small", model: "mlp")
        _ = state.handle(.snapshots(try snapshots(), elapsed: 65, cpu: 1.5))
        return state
    }

    @Test("the header shows the process's CPU and resident memory as sampled, and no memory before the first sample")
    func headerResources() throws {
        var state = try Self.state()
        #expect(DashboardView.render(state, width: 200, height: 60, theme: .builtIn).text.contains("CPU 150% · 2 runs"))
        _ = state.handle(.snapshots(try Self.snapshots(), elapsed: 66, cpu: 0.97, resident: 125 * 1_048_576 + 400_000))
        #expect(DashboardView.render(state, width: 200, height: 60, theme: .builtIn).text.contains("CPU 97% · 125 MB · 2 runs"))
        #expect(
            ResidentMemory.parse(status: "Name:\temergent\nVmPeak:\t  900 kB\nVmRSS:\t  128000 kB\nRssAnon:\t 1 kB\n")
                == 128_000 * 1024)
        #expect(ResidentMemory.parse(status: "Name:\temergent\n") == nil)
        #expect(try #require(ResidentMemory.bytes()) > 1_000_000, "this test process is resident")
    }

    @Test("every key in the help dispatches, and every key that dispatches is in the help")
    func keyTableMatchesHelp() {
        let help = KeyTable.helpLines
        #expect(help.count == KeyTable.bindings.count)
        for binding in KeyTable.bindings {
            for key in binding.keys {
                #expect(KeyTable.action(for: key) == binding.action)
                #expect(
                    help.contains { $0.hasPrefix(key.label) || $0.contains(" \(key.label) ") },
                    "\(key.label) missing from help")
            }
        }
        let all = KeyTable.bindings.flatMap(\.keys)
        #expect(Set(all).count == all.count, "a key bound twice")
    }

    @Test("keys become effects on the selected run")
    func keys() throws {
        var state = try Self.state()
        #expect(state.handle(.key(.character(" "))) == [.send(.pause, run: 0)])
        #expect(state.handle(.key(.down)) == [] && state.selected == 1)
        #expect(state.handle(.key(.down)) == [] && state.selected == 1, "selection stops at the last run")
        #expect(state.handle(.key(.character("+"))) == [.send(.set(.learningRate, 0.1), run: 1)])
        #expect(
            state.handle(.key(.character("]")))
                == [.fork(run: 1, RunEdit(initializer: try InitializerSpec(parsing: "emergence:alpha=1.3")))])
        #expect(
            state.handle(.key(.character("[")))
                == [.fork(run: 1, RunEdit(initializer: try InitializerSpec(parsing: "emergence:alpha=1.1")))])
        #expect(state.handle(.key(.character("c"))) == [.fork(run: 1, RunEdit(control: true))])
        #expect(
            state.handle(.key(.character(">"))) == [.send(.set(.tau, 0.1), run: 0), .send(.set(.tau, 0.1), run: 1)])
        _ = state.handle(.key(.up))
        #expect(state.handle(.key(.character("]"))) == [] && state.statusIsError, "kaiming is not an emergence run")
        _ = state.handle(.key(.character("l")))
        #expect(!state.logY)
        _ = state.handle(.key(.character("z")))
        #expect(state.statusIsError && state.status.contains("'z' does nothing"))
    }

    @Test("quitting and deleting ask first; anything but y cancels")
    func confirmations() throws {
        var state = try Self.state()
        #expect(state.handle(.key(.character("q"))) == [] && state.confirmation == .quit)
        #expect(state.handle(.key(.character("n"))) == [] && state.confirmation == nil)
        _ = state.handle(.key(.character("q")))
        #expect(state.handle(.key(.character("y"))) == [.quit])
        _ = state.handle(.key(.character("d")))
        #expect(state.handle(.key(.character("y"))) == [.remove(run: 0)])
        _ = state.run(command: "open cnn")
        #expect(state.confirmation == .open("cnn"))
        #expect(state.handle(.key(.character("y"))) == [.open("cnn")])
        var finished = DashboardState(experiment: "x", dataset: "y", model: "mlp")
        #expect(finished.handle(.key(.character("q"))) == [.quit], "no active runs: no question")
    }

    @Test(
        "the command line: good commands apply, bad ones say why and change nothing",
        arguments: [
            (":lr 0.01", [DashboardState.Effect.send(.set(.learningRate, 0.01), run: 0)], false),
            (":momentum 0.5", [.send(.set(.momentum, 0.5), run: 0)], false),
            (":wd 1e-4", [.send(.set(.weightDecay, 1e-4), run: 0)], false),
            (":tau 0.2", [.send(.set(.tau, 0.2), run: 0), .send(.set(.tau, 0.2), run: 1)], false),
            (":epochs 30", [.send(.setEpochs(30), run: 0), .send(.setEpochs(30), run: 1)], false),
            (":epochs 0", [], true),
            (":epochs many", [], true),
            (":add nio", [.fork(run: 0, RunEdit(initializer: try! InitializerSpec(parsing: "nio")))], false),
            (
                ":add emergence:alpha=1.5",
                [.fork(run: 0, RunEdit(initializer: try! InitializerSpec(parsing: "emergence:alpha=1.5")))], false
            ),
            (":add bogus", [], true),
            (":add emergence:alpha=-3", [], true),
            (":alpha 1.5", [], true),
            (":seed 7", [.fork(run: 0, RunEdit(seed: 7))], false),
            (":seed -1", [], true),
            (":seeds 3", [.fork(run: 0, RunEdit(seed: 1)), .fork(run: 0, RunEdit(seed: 2))], false),
            (":seeds 1", [], true),
            (":seeds 1000", [], true),
            (
                ":fork xavier lr=0.1 seed=4",
                [
                    .fork(
                        run: 0,
                        RunEdit(initializer: try! InitializerSpec(parsing: "xavier"), learningRate: 0.1, seed: 4))
                ], false
            ),
            (":fork lr=500", [], true),
            (":fork kaiming xavier", [], true),
            (":theme light", [.theme("light")], false),
            (":theme", [], true),
            (":open", [], true),
            (":lr -1", [], true),
            (":lr fast", [], true),
            (":lr", [], true),
            (":momentum 2", [], true),
            (":bogus 1", [], true),
        ])
    func commands(text: String, effects: [DashboardState.Effect], error: Bool) throws {
        var state = try Self.state()
        var produced: [DashboardState.Effect] = []
        for character in text { produced += state.handle(.key(.character(character))) }
        produced += state.handle(.key(.enter))
        #expect(produced == effects)
        #expect(state.statusIsError == error, "\(state.status)")
        #expect(state.command == nil)
        if text == ":tau 0.2" { #expect(state.tau == 0.2) }
    }

    @Test(
        "views at every size stay inside the buffer; small terminals get the size message",
        arguments: [
            (0, 0), (1, 1), (2, 2), (60, 20), (80, 24), (120, 40), (200, 60),
        ])
    func views(width: Int, height: Int) throws {
        var state = try Self.state()
        let buffer = DashboardView.render(state, width: width, height: height, theme: .builtIn)
        #expect(buffer.width == width && buffer.height == height)
        if width >= 80 && height >= 24 {
            let text = buffer.text
            // At 80 columns the program's name gives way, so the live figures and the run count fit.
            #expect(text.hasPrefix((width >= 120 ? "Emergent · " : "") + "test · fashion-mnist-small · mlp · 1:05"))
            #expect(text.split(separator: "\n")[0].hasSuffix("2 runs"))
            #expect(text.contains("kaiming") && text.contains("emergence:alpha=1.2") && text.contains("81.0"))
            #expect(text.contains("dense1") && text.contains("log10 E"))
            #expect(buffer.cells.contains { ("\u{2801}"..."\u{28FF}").contains($0.character) }, "braille curves")
            _ = state.handle(.key(.character("?")))
            #expect(
                DashboardView.render(state, width: width, height: height, theme: .builtIn).text.contains(
                    "keys · Esc closes"))
            state.symbols = .ascii
            _ = state.handle(.key(.escape))
            let ascii = DashboardView.render(state, width: width, height: height, theme: .builtIn)
            #expect(!ascii.cells.contains { ("\u{2801}"..."\u{28FF}").contains($0.character) })
        } else if width >= 40 {
            #expect(
                buffer.text.contains("terminal too small: \(width)×\(height)") && buffer.text.contains("need 80×24"))
        }
    }
}

@Suite("Dashboard: seed groups, panes, pickers, completion")
struct DashboardInteractionTests {
    /// Three seeds of one entry and a single run: the group is one row until opened.
    static func groupedState() throws -> DashboardState {
        let experiment = try ExperimentConfig.parse(
            JSONParser.parse(
                #"{"model": {"widths": [16]}, "runs": [{"init": "kaiming", "seeds": 3}, {"init": "emergence:alpha=1.2"}]}"#
            ),
            defaultName: "test")
        let snapshots = experiment.runs.enumerated().map { index, config in
            var snapshot = RunSnapshot(id: index, config: config, stepsPerEpoch: 10)
            snapshot.apply(.started(seed: config.seed))
            snapshot.apply(.initialized(InitReport(layers: [], probeForwards: 0)))
            snapshot.apply(
                .epochEnded(
                    EpochRecord(
                        epoch: 1, step: 10, trainLoss: 0.5, trainAccuracy: 0.8,
                        test: ["test/loss": 0.6, "test/acc": 0.80 + 0.01 * Double(index)], wallTime: 10)))
            return snapshot
        }
        var state = DashboardState(experiment: "test", dataset: "d", model: "mlp")
        _ = state.handle(.snapshots(snapshots, elapsed: 1, cpu: nil))
        return state
    }

    @Test(
        "the runs table shows Welch's p of each group against the selected one; the selected row and single runs show —"
    )
    func welchColumn() throws {
        let experiment = try ExperimentConfig.parse(
            JSONParser.parse(
                #"{"model": {"widths": [16]}, "runs": [{"init": "kaiming", "seeds": 3}, {"init": "xavier", "seeds": 3}, {"init": "orthogonal"}]}"#
            ),
            defaultName: "test")
        let accuracies = [0.80, 0.81, 0.82, 0.84, 0.86, 0.85, 0.9]
        let snapshots = experiment.runs.enumerated().map { index, config in
            var snapshot = RunSnapshot(id: index, config: config, stepsPerEpoch: 10)
            snapshot.apply(
                .epochEnded(
                    EpochRecord(
                        epoch: 1, step: 10, trainLoss: 0.5, trainAccuracy: 0.8,
                        test: ["test/loss": 0.6, "test/acc": accuracies[index]], wallTime: 10)))
            return snapshot
        }
        var state = DashboardState(experiment: "test", dataset: "d", model: "mlp")
        _ = state.handle(.snapshots(snapshots, elapsed: 1, cpu: nil))
        let expected = try #require(WelchTest(Array(accuracies[3...5]), Array(accuracies[0...2])))
        let text = DashboardView.render(state, width: 200, height: 60, theme: .builtIn).text
        let lines = text.split(separator: "\n")
        let header = try #require(lines.first { $0.contains("samples/s") && $0.contains("best") })
        let xavier = try #require(lines.first { $0.contains("xavier ×3") })
        let kaiming = try #require(lines.first { $0.contains("kaiming ×3") })
        let orthogonal = try #require(lines.first { $0.contains("orthogonal") })
        #expect(header.contains(" p "))
        #expect(xavier.contains(String(format: "%.3f", expected.p)), "\(xavier)")
        #expect(!kaiming.contains(String(format: "%.3f", expected.p)) && kaiming.contains("—"))
        #expect(orthogonal.contains("—"))
    }

    @Test("a seed group is one row with mean ± std; → opens it, ← closes it; keys act on every member")
    func groups() throws {
        var state = try Self.groupedState()
        #expect(state.rows.count == 2 && state.rows[0].runs == [0, 1, 2])
        let table = DashboardView.render(state, width: 120, height: 40, theme: .builtIn).text
        // Test accuracies 80, 81, 82 %: mean 81.00, sample std 1.00.
        #expect(table.contains("▸ kaiming ×3") && table.contains("81.00±1.00"), "\(table)")
        #expect(state.handle(.key(.character(" "))) == [0, 1, 2].map { .send(.pause, run: $0) })
        _ = state.handle(.key(.right))
        #expect(state.rows.count == 5 && state.rows[1].kind == .member)
        #expect(DashboardView.render(state, width: 120, height: 40, theme: .builtIn).text.contains("▾ kaiming ×3"))
        _ = state.handle(.key(.down))
        // r asks first, as d does; y restarts the member alone, n would leave it.
        #expect(state.handle(.key(.character("r"))).isEmpty && state.confirmation == .restart(runs: [0]))
        #expect(state.status.contains("restart kaiming from step 0? (y/n)"), "\(state.status)")
        #expect(state.handle(.key(.character("y"))) == [.send(.restart, run: 0)], "a member alone")
        _ = state.handle(.key(.character("r")))
        #expect(state.handle(.key(.character("n"))).isEmpty && state.status == "cancelled")
        // s cycles the smoothing weights, as TensorBoard's slider: 0.9 → 0.99 → off → 0.6 → 0.9.
        var weights: [Double] = []
        for _ in 0..<4 {
            _ = state.handle(.key(.character("s")))
            weights.append(state.smoothing)
        }
        #expect(weights == [0.99, 0, 0.6, 0.9])
        _ = state.handle(.key(.character("s")))
        #expect(DashboardView.render(state, width: 120, height: 40, theme: .builtIn).text.contains("smoothed 0.99"))
        _ = state.handle(.key(.left))
        #expect(state.rows.count == 2 && state.selected == 0)
        _ = state.handle(.key(.down))
        _ = state.handle(.key(.right))
        #expect(state.statusIsError && state.status.contains("one seed"))
        _ = state.handle(.key(.up))
        _ = state.handle(.key(.character("d")))
        #expect(state.handle(.key(.character("y"))) == [0, 1, 2].map { .remove(run: $0) })
    }

    @Test("Tab and Enter: panes cycle and the focused one fills the screen; x, m, v and t change the view")
    func panes() throws {
        var state = try DashboardStateTests.state()
        for expected in [DashboardState.Pane.curves, .emergence, .layers, .details, .runs] {
            _ = state.handle(.key(.tab))
            #expect(state.pane == expected)
        }
        _ = state.handle(.key(.backTab))
        #expect(state.pane == .details)
        var sweep = state
        sweep.sweep = GoldenScreenTests.plan()
        _ = sweep.handle(.key(.tab))
        #expect(sweep.pane == .sweep, "a sweep's heatmap pane joins the cycle")
        _ = sweep.handle(.key(.tab))
        #expect(sweep.pane == .runs)
        _ = state.handle(.key(.enter))
        #expect(state.zoomed)
        let zoomed = DashboardView.render(state, width: 80, height: 24, theme: .builtIn).text
        #expect(zoomed.contains("init & events · kaiming") && zoomed.contains("events, newest first"))
        #expect(!zoomed.contains("╭ runs"), "only the expanded pane:\n\(zoomed)")
        _ = state.handle(.key(.escape))
        #expect(!state.zoomed)
        _ = state.handle(.key(.character("x")))
        #expect(state.xAxis == .epochs)
        #expect(DashboardView.render(state, width: 120, height: 40, theme: .builtIn).text.contains("epoch →"))
        _ = state.handle(.key(.character("x")))
        #expect(state.xAxis == .cpuTime)
        _ = state.handle(.key(.character("m")))
        _ = state.handle(.key(.character("m")))
        #expect(state.metric == .loss, "a classifier cycles loss and accuracy only")
        #expect(state.handle(.key(.character("t"))) == [.theme(nil)])
        _ = state.handle(.key(.character("v")))
        #expect(state.layersOfAllRuns)
    }

    @Test("a picks an initializer from the catalog (a weights file opens the command line for its path); f opens the command line prefilled")
    func pickerAndFork() throws {
        var state = try DashboardStateTests.state()
        _ = state.handle(.key(.character("a")))
        #expect(state.picker == 0)
        #expect(DashboardView.render(state, width: 120, height: 40, theme: .builtIn).text.contains("add a run"))
        _ = state.handle(.key(.down))
        #expect(
            state.handle(.key(.enter)) == [.fork(run: 0, RunEdit(initializer: try InitializerSpec(parsing: "xavier")))])
        #expect(state.picker == nil)
        // The last entry, a weights file, has no default: Enter opens the command line for its path.
        _ = state.handle(.key(.character("a")))
        for _ in InitializerSpec.Scheme.allCases { _ = state.handle(.key(.down)) }
        #expect(state.handle(.key(.enter)) == [])
        #expect(state.command == "add weights:file=" && state.picker == nil)
        state.command = nil
        _ = state.handle(.key(.character("a")))
        _ = state.handle(.key(.escape))
        #expect(state.picker == nil)
        _ = state.handle(.key(.character("f")))
        #expect(state.command == "fork kaiming lr=0.05 seed=0 epochs=3")
        // Ctrl-W drops the last word (and the spaces after it), Ctrl-U the whole line, as in a
        // shell; other control characters are not typed into the line.
        _ = state.handle(.key(.character("\u{17}")))
        #expect(state.command == "fork kaiming lr=0.05 seed=0 ")
        state.command = "fork kaiming  "
        _ = state.handle(.key(.character("\u{17}")))
        #expect(state.command == "fork ")
        _ = state.handle(.key(.character("\u{01}")))
        #expect(state.command == "fork ")
        _ = state.handle(.key(.character("\u{15}")))
        #expect(state.command == "")
    }

    @Test("/ filters the runs by name: the table shows the matches and says so, keys act on them, / then Enter clears")
    func filterRuns() throws {
        var state = try DashboardStateTests.state()
        for key in ["/", "E", "m", "e", "r"] { _ = state.handle(.key(.character(Character(key)))) }
        #expect(DashboardView.render(state, width: 120, height: 40, theme: .builtIn).text.contains("/Emer▏"))
        _ = state.handle(.key(.enter))
        #expect(state.rows.count == 1 && state.runs[state.rows[0].runs[0]].config.label == "emergence:alpha=1.2")
        let text = DashboardView.render(state, width: 120, height: 40, theme: .builtIn).text
        #expect(text.contains("runs · / Emer: 1 of 2 rows") && !text.contains("│■ kaiming"), "\(text)")
        #expect(state.handle(.key(.character(" "))) == [.send(.pause, run: 1)], "Space acts on the run shown")
        _ = state.handle(.key(.character("/")))
        #expect(state.filterInput == "Emer")
        _ = state.handle(.key(.escape))
        #expect(state.filter == "Emer", "Esc leaves the filter as it was")
        _ = state.handle(.key(.character("/")))
        for _ in 0..<4 { _ = state.handle(.key(.backspace)) }
        _ = state.handle(.key(.enter))
        #expect(state.filter == nil && state.rows.count == 2 && state.status == "showing every run")
    }

    @Test("the mouse: a click on a row selects it and focuses the table, a click in a pane focuses it, the wheel moves as ↑ ↓ do")
    func mouse() throws {
        var state = try DashboardStateTests.state()
        _ = state.handle(.resized(width: 120, height: 40))
        let layout = Dictionary(DashboardView.layout(state, width: 120, height: 40).map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        let runs = try #require(layout[.runs]), curves = try #require(layout[.curves])
        _ = state.handle(.key(.click(x: curves.x + 5, y: curves.y + 5)))
        #expect(state.pane == .curves && state.selected == 0)
        // The second run's row: under the border and the header line.
        _ = state.handle(.key(.click(x: runs.x + 10, y: runs.y + 3)))
        #expect(state.pane == .runs && state.selected == 1)
        _ = state.handle(.key(.wheelUp))
        #expect(state.selected == 0)
        _ = state.handle(.key(.wheelDown))
        #expect(state.selected == 1)
        // Below the last row, or while a prompt is open, a click selects nothing.
        _ = state.handle(.key(.click(x: runs.x + 10, y: runs.y + runs.height - 1)))
        #expect(state.selected == 1)
        _ = state.handle(.key(.character(":")))
        _ = state.handle(.key(.click(x: curves.x + 5, y: curves.y + 5)))
        #expect(state.pane == .runs && state.command == "")
    }

    @Test("Tab completes command names, initializer names and themes; no candidate is an error")
    func completion() throws {
        var state = try DashboardStateTests.state()
        state.themeNames = ["default", "high-contrast", "light"]
        func typed(_ text: String) -> String? {
            state.command = text
            _ = state.handle(.key(.tab))
            return state.command
        }
        #expect(typed("ep") == "epochs ")
        #expect(typed("se") == "seed", "seed and seeds share the prefix")
        #expect(state.status.contains("seed  seeds"))
        #expect(typed("add emer") == "add emergence ")
        #expect(typed("fork kaiming lr") == "fork kaiming lr=")
        #expect(typed("theme h") == "theme high-contrast ")
        #expect(typed("zz") == "zz" && state.statusIsError)
    }

    @Test("forks apply their edits: a new group unless only the seed changes; momentum on Adam is refused")
    func runEdits() throws {
        let config = try DashboardStateTests.snapshots()[0].config
        let seeded = try RunEdit(parsing: ["seed=5"]).applied(to: config, newGroup: 9)
        #expect(seeded.seed == 5 && seeded.group == config.group && seeded.label == config.label)
        let edited = try RunEdit(parsing: ["xavier", "lr=0.2", "epochs=7"]).applied(to: config, newGroup: 9)
        #expect(edited.label == "xavier lr=0.2" && edited.group == 9 && edited.settings.epochs == 7)
        let again = try RunEdit(parsing: ["lr=0.3"]).applied(to: edited, newGroup: 10)
        #expect(again.label == "xavier lr=0.3", "the earlier note is replaced")
        var adam = config
        adam.settings.optimizer.kind = .adam
        #expect(throws: RunCommandError.self) { try RunEdit(momentum: 0.5).applied(to: adam, newGroup: 1) }
        #expect(throws: RunCommandError.self) { try RunEdit(control: true).applied(to: config, newGroup: 1) }
        #expect(throws: RunCommandError.self) { try RunEdit(parsing: ["epochs=0"]) }
    }

    @Test("a read-only view: steering keys and commands say why and do nothing; :export and q still work")
    func readOnlyView() throws {
        var state = try DashboardStateTests.state()
        state.readOnly = "this is a view of run folders"
        for key in [" ", "+", "r", "d", "c", "]", "a", "f", "<"] {
            #expect(state.handle(.key(.character(Character(key)))).isEmpty, "'\(key)'")
            #expect(state.statusIsError && state.status.hasSuffix("changes runs; this is a view of run folders"))
        }
        for command in ["lr 0.1", "fork xavier", "epochs 9", "open cnn", "add xavier"] {
            #expect(state.run(command: command).isEmpty, ":\(command)")
            #expect(state.status.contains("changes runs"), ":\(command): \(state.status)")
        }
        #expect(state.run(command: "export") == [.export])
        #expect(state.run(command: "export now").isEmpty && state.status.contains(":export takes no value"))
        state.report("ready")
        #expect(
            state.handle(.key(.character("l"))).isEmpty && !state.status.contains("changes runs"),
            "view keys still work")
        #expect(state.handle(.key(.character("q"))) == [.quit], "quitting a view stops nothing, so it does not ask")
        var live = try DashboardStateTests.state()
        #expect(live.run(command: "export") == [.export])
        #expect(live.handle(.key(.character("q"))).isEmpty, "a live dashboard still asks")
    }

    @Test("snapshots, resize and the frozen clock: live figures become fixed placeholders")
    func frozenClock() throws {
        var state = try DashboardStateTests.state()
        _ = state.handle(.resized(width: 100, height: 30))
        #expect(state.size == (100, 30) || (state.size.width == 100 && state.size.height == 30))
        let live = DashboardView.render(state, width: 120, height: 40, theme: .builtIn).text
        // One frame: no progress over time seen yet, so no rate is claimed.
        #expect(live.contains("1:05 · — samples/s · CPU 150%"), "\(live.prefix(200))")
        state.frozenClock = true
        let frozen = DashboardView.render(state, width: 120, height: 40, theme: .builtIn).text
        #expect(frozen.contains("0:00 · — samples/s · CPU —"))
    }
}

@Suite("Dashboard: the help on a short terminal")
struct HelpScrollTests {
    @Test("↓ scrolls the help to the last command and stops there; ↑ comes back; reopening starts at the top")
    func scroll() throws {
        var state = try DashboardStateTests.state()
        _ = state.handle(.resized(width: 80, height: 24))
        _ = state.handle(.key(.character("?")))
        let top = DashboardView.render(state, width: 80, height: 24, theme: .builtIn).text
        #expect(top.contains("keys · Esc closes · ↓↑ scroll") && top.contains("select the previous run"))
        #expect(!top.contains(":open cnn"), "the last commands are below the fold at 80×24")
        for _ in 0..<100 { _ = state.handle(.key(.down)) }
        let bottom = DashboardView.render(state, width: 80, height: 24, theme: .builtIn).text
        // The last page: what the numbers mean, down to its last line.
        #expect(bottom.contains("lr ×") && bottom.contains("what Slurm says of a run's task"), "\(bottom)")
        #expect(bottom.contains("rms, std") && bottom.contains("its samples"))
        #expect(!bottom.contains("select the previous run"))
        let last = state.helpScroll
        // The help's lines as wrapped at 80 columns, less the 22 rows inside the box.
        let lines = DashboardView.helpColumns(width: 80).columns[0]
        #expect(last == lines.count - 22, "stops at the last line")
        #expect(lines.count > KeyTable.bindings.count + DashboardState.commands.count + DashboardView.glossary.count)
        _ = state.handle(.key(.up))
        #expect(state.helpScroll == last - 1)
        _ = state.handle(.key(.escape))
        _ = state.handle(.key(.character("?")))
        #expect(state.helpScroll == 0)
        #expect(!DashboardView.render(state, width: 200, height: 60, theme: .builtIn).text.contains("↓↑ scroll"))
    }
}

@Suite("Dashboard: series interpolation")
struct SeriesInterpolationTests {
    @Test("linear between neighbours, exact on points, clamped outside; a clock starts at the origin")
    func interpolation() {
        let points = [(10.0, 1.0), (20.0, 3.0), (40.0, 4.0)].map { SeriesHistory.Point(x: $0.0, y: $0.1) }
        #expect(points.interpolated(at: 15) == 2)
        #expect(points.interpolated(at: 30) == 3.5)
        #expect(points.interpolated(at: 20) == 3)
        #expect(points.interpolated(at: 50) == 4)
        #expect(points.interpolated(at: 5) == 1)
        #expect(points.interpolated(at: 5, fromOrigin: true) == 0.5)
        #expect([SeriesHistory.Point]().interpolated(at: 1) == nil)
    }
}
