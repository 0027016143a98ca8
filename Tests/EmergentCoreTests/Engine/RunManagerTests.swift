@testable import EmergentCore
import Foundation
import Synchronization
import Testing

@Suite("Run manager: determinism, fairness, divergence, live changes, forks")
struct RunManagerTests {
    static let fourRuns =
        #"{"init": "kaiming"}, {"init": "xavier"}, {"init": "emergence:alpha=1.2"}, "#
        + #"{"init": "fractional:s=0.8", "model": {"kind": "mlp", "widths": [16, 16], "batch_norm": true, "dropout": 0.2}}"#

    @Test("one worker running one run at a time and two workers running four at once give bit-identical metrics")
    func determinism() throws {
        let experiment = try EngineFixtures.experiment(Self.fourRuns)
        let data = try EngineFixtures.imageData()
        let alone = EngineFixtures.train(experiment.runs, data: data, workers: 1, budget: .steps(5), oneAtATime: true)
        let together = EngineFixtures.train(experiment.runs, data: data, workers: 2, budget: .steps(1))
        #expect(alone.count == 4)
        for (first, second) in zip(alone, together) {
            #expect(EngineFixtures.steps(first).count == 24)
            #expect(first == second)
        }
        // Different inits really train differently (the comparison is not vacuous).
        #expect(EngineFixtures.steps(alone[0]) != EngineFixtures.steps(alone[1]))
    }

    @Test("four equal runs on two workers stay within one slice of each other at every snapshot")
    func fairness() throws {
        let experiment = try EngineFixtures.experiment(
            #"{"init": "kaiming", "seeds": [0, 0, 0, 0]}"#, extra: #""epochs": 4"#)
        let manager = RunManager(data: try EngineFixtures.imageData(), workers: 2, budget: .steps(1))
        for run in experiment.runs { manager.add(run) }
        manager.start()
        var cuts = 0, largestSpread = 0
        while !manager.isFinished {
            let snapshots = manager.snapshots()
            let slices = snapshots.map(\.slices), steps = snapshots.map(\.step)
            largestSpread = max(largestSpread, slices.max()! - slices.min()!)
            #expect(slices.max()! - slices.min()! <= 1, "slices \(slices)")
            #expect(steps.max()! - steps.min()! <= 1, "steps \(steps)")
            cuts += 1
        }
        manager.shutdown()
        #expect(manager.snapshots().allSatisfy { $0.step == 48 && $0.status == .done })
        #expect(cuts > 0)
    }

    @Test("groups in turns: each group of two starts only after the group before has ended; a waiting run takes a cancel at once; results equal training all at once")
    func turns() throws {
        let experiment = try EngineFixtures.experiment(
            #"{"init": "kaiming", "seeds": 2}, {"init": "xavier", "seeds": 2}, {"init": "orthogonal", "seeds": 2}"#)
        let data = try EngineFixtures.imageData()
        let manager = RunManager(data: data, workers: 2, budget: .steps(1))
        // Every event in the order the engine emitted it (one lock: a total order).
        let log = Mutex<[(id: Int, event: RunEvent)]>([])
        manager.subscribe { id, event in log.withLock { $0.append((id, EngineFixtures.withoutTimings(event))) } }
        let groups = manager.add(
            inTurns: [Array(experiment.runs[0..<2]), Array(experiment.runs[2..<4]), Array(experiment.runs[4..<6])],
            groupsAtOnce: 1)
        #expect(groups == [[0, 1], [2, 3], [4, 5]])
        // Run 5 waits for the third turn; its cancel applies before any group trains.
        try manager.send(.cancel, to: 5)
        manager.start()
        manager.waitUntilSettled()
        manager.shutdown()
        let events = log.withLock { $0 }
        func index(of id: Int, _ matches: (RunEvent) -> Bool) -> Int? { events.firstIndex { $0.id == id && matches($0.event) } }
        let isStart: (RunEvent) -> Bool = { if case .started = $0 { true } else { false } }
        let isEnd: (RunEvent) -> Bool = { if case .finished = $0 { true } else { false } }
        for (earlier, later) in [([0, 1], [2, 3]), ([2, 3], [4])] {
            let lastEnd = try earlier.map { try #require(index(of: $0, isEnd)) }.max()!
            let firstStart = try later.map { try #require(index(of: $0, isStart)) }.min()!
            #expect(lastEnd < firstStart, "runs \(later) started before \(earlier) ended")
        }
        let cancelled = try #require(index(of: 5) { if case .cancelled = $0 { true } else { false } })
        #expect(cancelled < index(of: 0, isEnd)!, "the cancel did not wait for the run's turn")
        #expect(index(of: 5, isStart) == nil && manager.snapshot(5)?.status == .cancelled)
        // Turns change the order, not the numbers.
        let together = EngineFixtures.train(Array(experiment.runs[0..<5]), data: data, workers: 2)
        for id in 0..<5 {
            #expect(events.filter { $0.id == id }.map(\.event) == together[id], "run \(id)")
        }
    }

    @Test("a diverging run is marked at its first non-finite loss and leaves the others' metrics unchanged")
    func divergenceIsolation() throws {
        let data = try EngineFixtures.imageData()
        let healthy = try EngineFixtures.experiment(#"{"init": "kaiming"}, {"init": "xavier"}"#)
        let withDiverging = try EngineFixtures.experiment(
            #"{"init": "kaiming"}, {"init": "kaiming", "optimizer": {"lr": 100}, "model": {"activation": "linear"}}, {"init": "xavier"}"#
        )
        let reference = EngineFixtures.train(healthy.runs, data: data, workers: 2)
        let mixed = EngineFixtures.train(withDiverging.runs, data: data, workers: 2)
        #expect(mixed[0] == reference[0])
        #expect(mixed[2] == reference[1])
        let steps = EngineFixtures.steps(mixed[1])
        let firstBad = try #require(steps.first { !$0.loss.isFinite })
        #expect(steps.last?.step == firstBad.step, "training stops at the first non-finite loss")
        #expect(steps.dropLast().allSatisfy { $0.loss.isFinite })
        guard case let .diverged(step, loss)? = mixed[1].last else {
            Issue.record("last event: \(String(describing: mixed[1].last))"); return
        }
        #expect(step == firstBad.step && !loss.isFinite)
    }

    @Test("a learning-rate change at step k is an event at k, and the run then equals one configured with that change")
    func liveChange() throws {
        let data = try EngineFixtures.imageData()
        let experiment = try EngineFixtures.experiment(#"{"init": "kaiming"}"#, extra: #""epochs": 3"#)
        let paused = Mutex<Int?>(nil)
        // Pause from a subscriber once step 7 is seen; the pause lands between slices, at
        // whatever step the run has then reached.
        let live = EngineFixtures.train(experiment.runs, data: data, workers: 1, budget: .steps(1)) {
            manager, id, event in
            if case let .step(record) = event, record.step == 7 { try? manager.send(.pause, to: id) }
            if case let .paused(step) = event {
                paused.withLock { $0 = step }
                try? manager.send(.set(.learningRate, 0.01), to: id)
                try? manager.send(.resume, to: id)
            }
        }[0]
        let k = try #require(paused.withLock { $0 })
        #expect(k >= 7)
        #expect(live.contains(.parameterChanged(step: k, parameter: .learningRate, old: 0.05, new: 0.01)))
        var configured = experiment.runs[0]
        configured.settings.changes = [ParameterChange(step: k, parameter: .learningRate, value: 0.01)]
        let scheduled = EngineFixtures.train([configured], data: data, workers: 1)[0]
        #expect(EngineFixtures.steps(live) == EngineFixtures.steps(scheduled))
        #expect(
            EngineFixtures.steps(live)[k].learningRate == 0.01 && EngineFixtures.steps(live)[k - 1].learningRate == 0.05
        )
        #expect(EngineFixtures.epochs(live) == EngineFixtures.epochs(scheduled))
    }

    @Test("commands out of range or not applicable are refused at once with the reason")
    func refusedCommands() throws {
        let experiment = try EngineFixtures.experiment(
            #"{"init": "kaiming", "optimizer": {"kind": "adam", "lr": 0.001}}"#)
        let manager = RunManager(data: try EngineFixtures.imageData(), workers: 1)
        let id = manager.add(experiment.runs[0])
        #expect(throws: RunCommandError.self) { try manager.send(.set(.learningRate, -1), to: id) }
        #expect(throws: RunCommandError.self) { try manager.send(.set(.learningRate, .nan), to: id) }
        do {
            try manager.send(.set(.momentum, 0.5), to: id)
            Issue.record("expected a refusal, but nothing was thrown")
        } catch {
            #expect(error.message.contains("momentum applies to SGD"))
        }
        do {
            try manager.send(.pause, to: 99)
            Issue.record("expected a refusal, but nothing was thrown")
        } catch { #expect(error.message == "there is no run 99") }
        manager.shutdown()
    }

    @Test("a fork restarts from step 0 with its own generators; two identical forks train identically")
    func forks() throws {
        let data = try EngineFixtures.imageData()
        let experiment = try EngineFixtures.experiment(#"{"init": "kaiming"}"#)
        let manager = RunManager(data: data, workers: 2, budget: .steps(1))
        let events = Mutex<[Int: [RunEvent]]>([:])
        manager.subscribe { id, event in
            events.withLock { $0[id, default: []].append(EngineFixtures.withoutTimings(event)) }
        }
        let original = manager.add(experiment.runs[0])
        manager.start()
        manager.waitUntilSettled()
        let first = try #require(manager.fork(original) { $0.settings.optimizer.learningRate = 0.02 })
        let second = try #require(manager.fork(original) { $0.settings.optimizer.learningRate = 0.02 })
        let plain = try #require(manager.fork(original))
        manager.waitUntilSettled()
        manager.shutdown()
        let all = events.withLock { $0 }
        #expect(all[first] == all[second])
        #expect(EngineFixtures.steps(all[first] ?? []).first?.step == 1)
        #expect(all[first] != all[original])
        #expect(all[plain] == all[original])
    }

    @Test("pause, resume, restart and cancel are events at the run's step; a restart repeats the run exactly")
    func lifecycle() throws {
        let data = try EngineFixtures.imageData()
        let experiment = try EngineFixtures.experiment(#"{"init": "kaiming"}"#)
        let manager = RunManager(data: data, workers: 1, budget: .steps(1))
        let events = Mutex<[RunEvent]>([])
        manager.subscribe { _, event in events.withLock { $0.append(EngineFixtures.withoutTimings(event)) } }
        let id = manager.add(experiment.runs[0])
        manager.start()
        manager.waitUntilSettled()
        let firstRun = events.withLock { $0 }
        try manager.send(.restart, to: id)
        manager.waitUntilSettled()
        let afterRestart = events.withLock { $0 }
        #expect(Array(afterRestart[(firstRun.count + 1)...]) == firstRun)
        #expect(afterRestart[firstRun.count] == .restarted)
        try manager.send(.restart, to: id)
        try manager.send(.pause, to: id)
        manager.waitUntilSettled()
        #expect(manager.snapshot(id)?.status == .paused)
        try manager.send(.cancel, to: id)
        manager.waitUntilSettled()
        manager.shutdown()
        #expect(manager.snapshot(id)?.status == .cancelled)
        #expect(events.withLock { $0 }.suffix(3) == [.restarted, .paused(step: 0), .cancelled(step: 0)])
    }

    @Test("a new τ re-measures the latest point at the run's step; removing a run drops it")
    func tauAndRemove() throws {
        let data = try EngineFixtures.imageData()
        let experiment = try EngineFixtures.experiment(#"{"init": "kaiming"}, {"init": "xavier"}"#)
        let manager = RunManager(data: data, workers: 1)
        let events = Mutex<[RunEvent]>([])
        manager.subscribe { id, event in if id == 0 { events.withLock { $0.append(event) } } }
        let first = manager.add(experiment.runs[0]), second = manager.add(experiment.runs[1])
        manager.start()
        manager.waitUntilSettled()
        let before = try #require(manager.snapshot(first)?.lastMeasurement)
        try manager.send(.set(.tau, 1e6), to: first)
        manager.waitUntilSettled()
        let after = try #require(manager.snapshot(first)?.lastMeasurement)
        #expect(after.step == before.step && after.step == 24)
        #expect(before.layers.contains { $0.activeFraction > 0 })
        #expect(after.layers.dropLast().allSatisfy { $0.activeFraction == 0 }, "no hidden node is active at τ = 1e6")
        #expect(
            events.withLock { $0 }.suffix(2).first == .parameterChanged(step: 24, parameter: .tau, old: 0.05, new: 1e6))
        manager.remove(second)
        #expect(manager.runIDs == [first] && manager.snapshot(second) == nil)
        #expect(throws: RunCommandError.self) { try manager.send(.pause, to: second) }
        manager.shutdown()
    }
}

@Suite("Run manager: a run's length changed live")
struct LiveEpochsTests {
    @Test("a finished run given more epochs trains on and equals a run configured that long; a shorter one ends early")
    func extendAndShorten() throws {
        let data = try EngineFixtures.imageData()
        let two = try EngineFixtures.experiment(#"{"init": "kaiming"}"#)
        let three = try EngineFixtures.experiment(#"{"init": "kaiming"}"#, extra: #""epochs": 3"#)
        let reference = EngineFixtures.train(three.runs, data: data, workers: 1)[0]

        let manager = RunManager(data: data, workers: 1, budget: .steps(2))
        let events = Mutex<[RunEvent]>([])
        manager.subscribe { _, event in events.withLock { $0.append(EngineFixtures.withoutTimings(event)) } }
        let id = manager.add(two.runs[0])
        manager.start()
        manager.waitUntilSettled()
        #expect(manager.snapshot(id)?.status == .done)
        #expect(throws: RunCommandError.self) { try manager.send(.setEpochs(0), to: id) }
        try manager.send(.setEpochs(3), to: id)
        manager.waitUntilSettled()
        let extended = try #require(manager.snapshot(id))
        #expect(extended.status == .done && extended.epoch == 3 && extended.totalSteps == 36)
        #expect(extended.config.settings.epochs == 3)
        let all = events.withLock { $0 }
        #expect(all.contains(.epochsChanged(step: 24, old: 2, new: 3)))
        #expect(EngineFixtures.steps(all) == EngineFixtures.steps(reference))
        #expect(EngineFixtures.epochs(all) == EngineFixtures.epochs(reference))

        // Shortened before it starts: it ends after one epoch.
        let short = manager.add(three.runs[0])
        try manager.send(.setEpochs(1), to: short)
        manager.waitUntilSettled()
        manager.shutdown()
        let ended = try #require(manager.snapshot(short))
        #expect(ended.status == .done && ended.epoch == 1 && ended.step == 12)
    }
}

@Suite("Run manager: a lone run's products")
struct LoneRunThreadsTests {
    @Test("a run alone may use every worker's core for its products; with company each stays on its worker")
    func productThreads() {
        #expect(RunManager.productThreads(activeRuns: 1, workers: 2) == 2)
        #expect(RunManager.productThreads(activeRuns: 0, workers: 4) == 4)
        #expect(RunManager.productThreads(activeRuns: 2, workers: 2) == 1)
        #expect(RunManager.productThreads(activeRuns: 5, workers: 2) == 1)
        #expect(RunManager.productThreads(activeRuns: 1, workers: 1) == 1)
    }
}
