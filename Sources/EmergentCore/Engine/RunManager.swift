import Dispatch
import Foundation
import Kernels
import Synchronization

/// Owns every run and trains them on a fixed pool of Dispatch workers, in short slices
/// handed out round-robin: a worker takes the run that has trained the fewest slices, and
/// no run starts a slice while another active run is a whole slice behind it. So equal
/// runs never drift apart by more than one slice, whatever the machine's load.
///
/// A run's trainer is confined to the worker running its slice; commands wait in the run's
/// queue and apply between slices. After every slice the run publishes an immutable
/// snapshot under a mutex, so a reader never waits longer than a copy. Subscribers get
/// every event on the worker's thread and must return quickly.
public final class RunManager: Sendable {
    public typealias Subscriber = @Sendable (_ run: Int, _ event: RunEvent) -> Void

    public let workerCount: Int
    public let budget: SliceBudget
    public let data: ExperimentData

    /// Scheduling state, guarded by `condition`'s lock; workers wait on it for work.
    private let condition = NSCondition()
    private nonisolated(unsafe) var slots: [Int: Slot] = [:]
    private nonisolated(unsafe) var order: [Int] = []
    private nonisolated(unsafe) var nextID = 0
    private nonisolated(unsafe) var stopping = false
    private nonisolated(unsafe) var started = false
    private nonisolated(unsafe) var waitedForFairness: Duration = .zero
    /// Groups of runs waiting for their turn (a sweep's cells, in order), the groups whose turn
    /// it is, and how many groups train at once.
    private nonisolated(unsafe) var waitingGroups: [[Int]] = []
    private nonisolated(unsafe) var admittedGroups: [[Int]] = []
    private nonisolated(unsafe) var groupsAtOnce = 1
    private let subscribers = Mutex<[Subscriber]>([])

    /// A run as the scheduler sees it.
    private final class Slot: @unchecked Sendable {
        // @unchecked: `trainer` and `builder` are touched only by the one worker that has
        // set `running` under the manager's lock; every other field only under that lock.
        var trainer: Trainer
        var builder: RunSnapshot
        let published: Mutex<RunSnapshot>
        /// The run's configuration, readable under the lock while a worker holds the trainer.
        let config: RunConfig
        var running = false
        var removed = false
        /// Mirrors the trainer's state for the scheduler, updated under the lock after each slice.
        var stage = Stage.initializing
        /// Slices trained in the rotation (a run joining late starts level with the slowest).
        var level = 0
        /// A run whose initialization is quick (a closed form) holds the rotation while it
        /// initializes, so runs started together also start training together; a learned or
        /// data-driven one does not make the others wait.
        var holdsWhileInitializing: Bool
        /// Waits for its group's turn (`add(inTurns:)`): takes commands, trains nothing yet.
        var waitsForTurn = false
        var commands: [RunCommand] = []

        enum Stage { case initializing, training, paused, terminal }

        init(trainer: Trainer, snapshot: RunSnapshot) {
            self.trainer = trainer
            builder = snapshot
            published = Mutex(snapshot)
            config = trainer.config
            holdsWhileInitializing = !trainer.config.initializer.isDataDriven
        }

        /// Whether this run's level bounds the others'.
        var counts: Bool {
            !removed && !waitsForTurn && (stage == .training || (stage == .initializing && holdsWhileInitializing))
        }
        /// Whether this run keeps its group's turn: it has not ended and is not paused.
        var occupiesTurn: Bool { !removed && stage != .terminal && stage != .paused }
    }

    /// `workers` defaults to one per core. Each GEMM runs on its worker's thread, so matrix
    /// products stay single-threaded however many runs are active.
    public init(data: ExperimentData, workers: Int? = nil, budget: SliceBudget = .standard) {
        self.data = data
        workerCount = max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount)
        self.budget = budget
    }

    deinit { shutdown() }

    /// Starts the workers (runs added before wait in the queue until then).
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !started else { return }
        started = true
        for index in 0..<workerCount {
            // Each worker owns its Dispatch thread for its whole life: a fixed pool, so the
            // per-thread GEMM scratch stays bounded by the worker count.
            DispatchQueue(label: "emergent.worker.\(index)", qos: .userInitiated).async { [self] in
                ProcessPriority.adoptForCurrentThread()
                workerLoop()
            }
        }
    }

    /// Stops the workers after their current slices; runs keep their last snapshots.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    public func subscribe(_ subscriber: @escaping Subscriber) {
        subscribers.withLock { $0.append(subscriber) }
    }

    // MARK: - Runs

    /// Adds a run; it starts initializing as soon as a worker is free.
    @discardableResult
    public func add(_ config: RunConfig) -> Int {
        add(Trainer(config: config, data: data), history: nil)
    }

    /// Adds a trainer made elsewhere (one resumed from a checkpoint) with the picture of its
    /// run so far (rebuilt from its folder), so curves and tables go on where they were.
    @discardableResult
    public func add(_ trainer: Trainer, history: RunSnapshot?) -> Int {
        add(trainer, history: history, waiting: false)
    }

    private func add(_ trainer: Trainer, history: RunSnapshot?, waiting: Bool) -> Int {
        let config = trainer.config
        condition.lock()
        defer { condition.unlock() }
        let id = nextID
        nextID += 1
        var snapshot = history ?? RunSnapshot(id: id, config: config, stepsPerEpoch: trainer.stepsPerEpoch)
        snapshot.id = id
        // A run that ended keeps the picture its folder tells (diverged at its step, say); one
        // that goes on is where its trainer stands.
        if let history, !(history.status.isTerminal && trainer.status.isTerminal) {
            snapshot.status = trainer.status
            snapshot.step = trainer.step
            snapshot.epoch = trainer.epoch
        }
        let slot = Slot(trainer: trainer, snapshot: snapshot)
        slot.level = minimumLevel(excluding: nil) ?? 0
        slot.waitsForTurn = waiting
        slots[id] = slot
        order.append(id)
        condition.broadcast()
        return id
    }

    /// Adds groups of runs that train a few groups at a time, in order: a sweep's cells, a
    /// cell's seeds side by side, so early cells have results while later ones wait. The
    /// next group starts when one of the training groups has ended (or is paused). Returns
    /// the ids, group by group.
    @discardableResult
    public func add(inTurns groups: [[RunConfig]], groupsAtOnce: Int) -> [[Int]] {
        let ids = groups.map { group in group.map { add(Trainer(config: $0, data: data), history: nil, waiting: true) } }
        condition.lock()
        defer { condition.unlock() }
        self.groupsAtOnce = max(groupsAtOnce, 1)
        waitingGroups += ids.filter { !$0.isEmpty }
        admitTurns()
        return ids
    }

    /// Lets waiting groups start while fewer than `groupsAtOnce` occupy their turn. Called
    /// with the lock held, whenever a run's stage may have changed.
    private func admitTurns() {
        admittedGroups.removeAll { group in !group.contains { slots[$0]?.occupiesTurn ?? false } }
        while admittedGroups.count < groupsAtOnce, !waitingGroups.isEmpty {
            let group = waitingGroups.removeFirst()
            // Level with the slowest active run, as any run joining late.
            let level = minimumLevel(excluding: nil) ?? 0
            for id in group {
                slots[id]?.waitsForTurn = false
                slots[id]?.level = level
            }
            admittedGroups.append(group)
        }
        condition.broadcast()
    }

    /// A new run from a copy of `id`'s configuration with `edit` applied, starting fresh at
    /// step 0 with the seed the edit leaves (so two identical forks train identically).
    @discardableResult
    public func fork(_ id: Int, edit: (inout RunConfig) -> Void = { _ in }) -> Int? {
        guard var config = snapshot(id)?.config else { return nil }
        edit(&config)
        return add(config)
    }

    /// Removes a run and its snapshot (after its current slice, if one is running).
    public func remove(_ id: Int) {
        condition.lock()
        defer { condition.unlock() }
        guard let slot = slots[id] else { return }
        slot.removed = true
        if !slot.running { drop(id) }
        admitTurns()
    }

    private func drop(_ id: Int) {
        slots[id] = nil
        order.removeAll { $0 == id }
    }

    /// Queues a command for a run; it applies before the run's next slice. Refused at once
    /// when it cannot apply (a value out of range, momentum on an Adam run, an unknown run).
    public func send(_ command: RunCommand, to id: Int) throws(RunCommandError) {
        condition.lock()
        defer { condition.unlock() }
        guard let slot = slots[id], !slot.removed else { throw RunCommandError(message: "there is no run \(id)") }
        if case let .set(setting, value) = command, let reason = setting.refusal(of: value, for: slot.config) {
            throw RunCommandError(message: reason)
        }
        if case let .setEpochs(epochs) = command, !RunCommand.epochRange.contains(epochs) {
            throw RunCommandError(
                message:
                    "epochs \(epochs) is out of range; it must be in \(RunCommand.epochRange.lowerBound)...\(RunCommand.epochRange.upperBound)"
            )
        }
        slot.commands.append(command)
        condition.broadcast()
    }

    public var runIDs: [Int] {
        condition.lock()
        defer { condition.unlock() }
        return order
    }

    /// The latest published picture of a run.
    public func snapshot(_ id: Int) -> RunSnapshot? {
        condition.lock()
        let slot = slots[id]
        condition.unlock()
        return slot?.published.withLock { $0 }
    }

    /// Every run's latest picture, all taken at one moment between slices.
    public func snapshots() -> [RunSnapshot] {
        condition.lock()
        defer { condition.unlock() }
        return order.compactMap { slots[$0]?.published.withLock { $0 } }
    }

    /// Seconds workers have waited, summed over workers, while a run was ready but a slice
    /// ahead of the slowest: what the fairness rule costs in throughput.
    public var secondsWaitedForFairness: Double {
        condition.lock()
        defer { condition.unlock() }
        return waitedForFairness.seconds
    }

    /// Whether every run has finished, diverged, failed or been cancelled.
    public var isFinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return slots.values.allSatisfy { $0.stage == .terminal && $0.commands.isEmpty && !$0.running }
    }

    /// Blocks until every run is terminal (or paused with nothing queued).
    public func waitUntilSettled() {
        condition.lock()
        defer { condition.unlock() }
        while !slots.values.allSatisfy({
            ($0.stage == .terminal || $0.stage == .paused) && $0.commands.isEmpty && !$0.running
        }) {
            condition.wait()
        }
    }

    // MARK: - Workers

    private func workerLoop() {
        // Flush-to-zero is per thread: set on every thread that trains.
        FloatingPointMode.enableFlushToZero()
        condition.lock()
        while !stopping {
            guard let id = nextRun(), let slot = slots[id] else {
                // Waiting while some run could train means the one-slice rule held this worker back.
                let held = slots.values.contains {
                    $0.stage == .training && !$0.running && !$0.removed && !$0.waitsForTurn
                }
                let start = ContinuousClock.now
                condition.wait()
                if held { waitedForFairness += ContinuousClock.now - start }
                continue
            }
            slot.running = true
            let commands = slot.commands
            slot.commands = []
            let before = slot.stage
            let active = slots.values.count {
                !$0.removed && !$0.waitsForTurn && ($0.stage == .training || $0.stage == .initializing)
            }
            GemmThreads.current = Self.productThreads(activeRuns: active, workers: workerCount)
            let waits = slot.waitsForTurn
            condition.unlock()

            let trained = serve(slot, id: id, commands: commands, train: !waits)

            condition.lock()
            slot.running = false
            let status = slot.trainer.status
            slot.stage =
                status.isTerminal
                ? .terminal
                : status == .paused
                    ? .paused
                    : (status == .queued || status == .initializing) ? .initializing : .training
            if commands.contains(.restart) { slot.level = minimumLevel(excluding: id) ?? 0 }
            if slot.stage == .training && before != .training
                && !(before == .initializing && slot.holdsWhileInitializing)
            {
                // Joining after a long initialization, a resume or a restart: start level with
                // the slowest active run, so nobody waits for the newcomer or it for them.
                slot.level = minimumLevel(excluding: id) ?? slot.level
            } else if trained {
                slot.level += 1
            }
            slot.builder.slices = slot.level
            // Published under the scheduling lock, so `snapshots()` sees one consistent cut.
            slot.published.withLock { $0 = slot.builder }
            if slot.removed { drop(id) }
            admitTurns()
        }
        condition.unlock()
    }

    /// Threads one matrix product may use: a run alone has every worker's core (on 2 cores,
    /// 2 threads made an MLP step 27–32 % faster and a transformer's 15–30 %; a CNN's, whose
    /// per-image products are too small to split, within ±5 %); with company, each product
    /// stays on its worker.
    static func productThreads(activeRuns: Int, workers: Int) -> Int {
        activeRuns <= 1 ? workers : 1
    }

    /// The next run to serve: one with queued commands first, then a run waiting to
    /// initialize, then the training run with the fewest slices, provided no active run is
    /// a slice behind it. Called with the lock held.
    private func nextRun() -> Int? {
        let idle = order.compactMap { id in slots[id].flatMap { !$0.running && !$0.removed ? (id, $0) : nil } }
        if let (id, _) = idle.first(where: { !$0.1.commands.isEmpty }) { return id }
        // A run waiting for its turn is served for its commands only (above).
        let ready = idle.filter { !$0.1.waitsForTurn }
        if let (id, _) = ready.first(where: { $0.1.stage == .initializing }) { return id }
        guard let lowest = minimumLevel(excluding: nil),
            let (id, slot) = ready.filter({ $0.1.stage == .training }).min(by: { $0.1.level < $1.1.level }),
            slot.level <= lowest
        else { return nil }
        return id
    }

    private func minimumLevel(excluding excluded: Int?) -> Int? {
        slots.filter { $0.key != excluded && $0.value.counts }.map(\.value.level).min()
    }

    /// Applies queued commands, then trains one slice unless paused or ended; publishes the
    /// snapshot; `train` false applies the commands only (a run waiting for its turn).
    /// Returns whether a training slice ran. Runs on the worker, without the lock.
    private func serve(_ slot: Slot, id: Int, commands: [RunCommand], train: Bool) -> Bool {
        let listeners = subscribers.withLock { $0 }
        func emit(_ event: RunEvent) {
            slot.builder.apply(event)
            for listener in listeners { listener(id, event) }
        }
        var paused = slot.trainer.status == .paused
        for command in commands {
            switch command {
            case .pause where !paused && !slot.trainer.isTerminal:
                paused = true
                slot.trainer.pause(emit: emit)
            case .resume where paused:
                paused = false
                slot.trainer.resume(emit: emit)
            case .restart:
                slot.trainer = Trainer(config: slot.trainer.config, data: data)
                emit(.restarted)
                paused = false
            case .cancel:
                slot.trainer.cancel(emit: emit)
            case let .set(parameter, value):
                slot.trainer.change(parameter, to: value, emit: emit)
            case let .setEpochs(epochs):
                slot.trainer.changeEpochs(to: epochs, emit: emit)
            case .checkpoint:
                slot.trainer.checkpointNow(emit: emit)
            default:
                break
            }
        }
        var trained = false
        if train && !paused && !slot.trainer.isTerminal {
            let initializing = slot.trainer.status == .queued
            // Progress of a long initialization is published as it happens.
            slot.trainer.advance(budget) { event in
                emit(event)
                if initializing, case .initProgress = event { slot.published.withLock { $0 = slot.builder } }
            }
            trained = !initializing
        }
        return trained
    }

}
