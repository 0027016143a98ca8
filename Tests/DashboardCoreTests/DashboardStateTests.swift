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
        _ = state.handle(.snapshots(try snapshots(), elapsed: 65))
        return state
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
        #expect(state.handle(.key(.character("]"))) == [.forkEmergence(run: 1, alpha: 1.3)])
        #expect(state.handle(.key(.character("["))) == [.forkEmergence(run: 1, alpha: 1.1)])
        #expect(state.handle(.key(.character("c"))) == [.addControl(run: 1)])
        #expect(state.handle(.key(.character(">"))) == [.sendAll(.set(.tau, 0.1))])
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
        var finished = DashboardState(experiment: "x", dataset: "y", model: "mlp")
        #expect(finished.handle(.key(.character("q"))) == [.quit], "no active runs: no question")
    }

    @Test(
        "the command line: good commands apply, bad ones say why and change nothing",
        arguments: [
            (":lr 0.01", [DashboardState.Effect.send(.set(.learningRate, 0.01), run: 0)], false),
            (":momentum 0.5", [.send(.set(.momentum, 0.5), run: 0)], false),
            (":wd 1e-4", [.send(.set(.weightDecay, 1e-4), run: 0)], false),
            (":tau 0.2", [.sendAll(.set(.tau, 0.2))], false),
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
            #expect(text.hasPrefix("Emergent · test · fashion-mnist-small · mlp · 1:05"))
            #expect(text.contains("kaiming") && text.contains("emergence:alpha=1.2") && text.contains("81.00"))
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
