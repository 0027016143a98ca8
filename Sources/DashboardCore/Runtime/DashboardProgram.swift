import EmergentCore
import Foundation

/// The dashboard as one program, whatever it shows and wherever it draws: each frame, a key
/// goes to the reducer and its effects are carried out here (the one interpreter), the
/// source's latest snapshots and problems are handed to the reducer, and the view is drawn.
/// `dash`, `view` and `sweep --dashboard` are this program over different sources.
public struct DashboardProgram {
    public var state: DashboardState
    public private(set) var look: DashboardLook
    public let source: any DashboardSource
    /// Seconds since the program started (a fake clock in tests).
    private let clock: () -> Double
    /// The process's CPU seconds so far (user + system).
    private let cpuSeconds: () -> Double
    private var cpu: Double?
    private var resident: Int?
    private let residentBytes: () -> Int?
    private var cpuSample: (seconds: Double, at: Double)
    /// The state a newly opened experiment starts from.
    private let fresh: DashboardState
    public private(set) var quit = false

    public init(
        source: any DashboardSource, header: DashboardSourceHeader, look: DashboardLook,
        clock: (() -> Double)? = nil, cpuSeconds: @escaping () -> Double = DashboardProgram.processCPUSeconds,
        residentBytes: @escaping () -> Int? = ResidentMemory.bytes
    ) {
        self.source = source
        self.look = look
        state = look.state(header)
        fresh = state
        if let clock {
            self.clock = clock
        } else {
            let start = ContinuousClock.now
            self.clock = { (ContinuousClock.now - start).seconds }
        }
        self.cpuSeconds = cpuSeconds
        self.residentBytes = residentBytes
        cpuSample = (cpuSeconds(), 0)
    }

    /// A line for the status bar before the first frame.
    public mutating func report(_ message: String, error: Bool = false) { state.report(message, error: error) }

    /// Runs until quit or interrupted, then gives the screen back.
    public mutating func run(on screen: some DashboardScreen) {
        if screen.depth == .monochrome { look.theme = look.theme.monochrome() }
        while !quit && !screen.interrupted {
            frame(on: screen)
        }
        screen.close()
    }

    /// One frame: a key (if one came), the source's news, the screen's size, a drawing.
    public mutating func frame(on screen: some DashboardScreen) {
        if let key = screen.readKey() {
            for effect in state.handle(.key(key)) {
                perform(effect, depth: screen.depth)
                if quit { return }
            }
        }
        for message in source.problems() { state.report(message, error: true) }
        switch source.opened() {
        case let .success(header)?:
            state = fresh
            state.experiment = header.experiment
            state.dataset = header.dataset
            state.model = header.model
            state.tau = header.tau
            state.report("opened \(header.experiment): \(header.runs) runs")
        case let .failure(error)?: state.report(error.description, error: true)
        case nil: break
        }
        let wall = clock()
        if wall - cpuSample.at >= 1 {
            let now = cpuSeconds()
            cpu = (now - cpuSample.seconds) / (wall - cpuSample.at)
            cpuSample = (now, wall)
            resident = residentBytes()
        }
        _ = state.handle(.snapshots(source.snapshots(), elapsed: look.frozenClock ? 0 : wall, cpu: cpu, resident: resident))
        state.sweep = source.sweep
        let size = screen.size
        _ = state.handle(.resized(width: size.width, height: size.height))
        screen.draw(DashboardView.render(state, width: size.width, height: size.height, theme: look.theme))
    }

    /// The one interpreter of the reducer's effects.
    mutating func perform(_ effect: DashboardState.Effect, depth: TerminalColor.Depth) {
        do {
            switch effect {
            case .quit:
                quit = true
            case let .theme(name):
                var theme = try look.nextTheme(name)
                if depth == .monochrome { theme = theme.monochrome() }
                look.theme = theme
                state.report("theme \(theme.name)")
            case let .send(command, run):
                try source.send(command, to: run)
            case let .fork(run, edit):
                let snapshots = source.snapshots()
                let parent = run.flatMap { id in snapshots.first { $0.id == id } }
                guard let base = parent?.config ?? source.template else { throw UserError("no run to fork") }
                let newGroup = (snapshots.map(\.config.group).max() ?? 0) + 1
                // From the parent's current settings (what `:lr` and the keys changed), not its first ones.
                let carried = parent.map { edit.carrying($0.settings, of: base) } ?? edit
                let fork = try carried.applied(to: base, newGroup: newGroup, keepingGroup: edit.changesOnlySeed)
                // Two runs of one name and seed could not be told apart on screen or on disk.
                if snapshots.contains(where: { $0.config.label == fork.label && $0.config.seed == fork.seed }) {
                    throw UserError(
                        "\(fork.label) seed \(fork.seed) is already a run; fork it with another seed (:seed N) or setting")
                }
                try source.add(fork)
            case let .remove(run):
                source.remove(run)
            case .export:
                state.report(try source.export())
            case let .open(name):
                state.report(try source.open(name))
            }
        } catch {
            state.report("\(error)", error: true)
        }
    }

    /// User time plus system time of the whole process so far, in seconds.
    public static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
