@testable import DashboardCore
@testable import EmergentCore
import Foundation
import Testing

/// Whole dashboard sessions, keys in and frames out, through the in-memory test screen: the
/// same program `dash`, `view` and `sweep --dashboard` run on the terminal. What a check
/// waits for is a state of the engine (`waitUntilSettled`), never a time.
@Suite("Dashboard sessions through the test screen")
struct DashboardSessionTests {
    static let themes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes").path

    static func look() throws -> DashboardLook {
        try DashboardLook(
            theme: "default", symbols: "ascii", frozenClock: true, environment: [:], shippedThemes: themes)
    }

    /// A small MLP on the embedded subset with runs that train far longer than any test, so
    /// only a key can stop them.
    static func experiment(name: String = "session", epochs: Int = 1000, runsDirectory: String? = nil) throws
        -> ExperimentConfig
    {
        let folders = runsDirectory.map { #""runs_dir": "\#($0)""# } ?? #""run_folders": false"#
        return try ExperimentConfig.parse(
            JSONParser.parse(
                #"{"name": "\#(name)", "model": {"widths": [16]}, "epochs": \#(epochs), "epoch_size": 256, "eval_size": 64, "workers": 2, \#(folders), "runs": [{"init": "kaiming"}, {"init": "emergence:alpha=1.2"}]}"#
            ), defaultName: name)
    }

    /// A live session of `config`, started, as `dash` makes it, and the program over it.
    static func live(_ config: ExperimentConfig, load: ((String) throws -> ExperimentConfig)? = nil) throws
        -> (LiveExperimentSource, DashboardProgram)
    {
        let inbox = ProblemInbox()
        let session = try ExperimentSession(config) { inbox.post($0) }
        session.add(config.runs)
        session.start()
        let source = LiveExperimentSource(session: session, inbox: inbox, load: load)
        return (source, DashboardProgram(source: source, header: DashboardSourceHeader(config), look: try look()))
    }

    @Test("open, then a key pauses the selected run: the manager settles with it paused and the screen says so")
    func openAndPause() throws {
        let config = try Self.experiment()
        var (source, program) = try Self.live(config)
        defer { source.session.finish() }
        let screen = TestScreen(width: 120, height: 40, script: [.idle, .keys(" ")])
        program.run(on: screen)
        #expect(screen.closed, "the program gives the screen back")
        #expect(screen.frames.count == 2)
        #expect(screen.frames[0].text.contains("session"), "the header names the experiment")
        #expect(screen.frames[0].text.contains("kaiming") && screen.frames[0].text.contains("emergence:alpha=1.2"))
        // The other run trains on; pause it too, then the manager settles with both paused.
        try source.send(.pause, to: 1)
        source.session.manager.waitUntilSettled()
        #expect(source.snapshots().map(\.status) == [.paused, .paused])
        let after = TestScreen(width: 120, height: 40, script: [.idle])
        program.run(on: after)
        #expect(after.text.contains("paused"))
    }

    @Test("a control made after :lr starts from the parent's current rate, its folder records it, and it rebuilds")
    func controlCarriesLiveSettings() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("control-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = try Self.experiment(runsDirectory: root.path)
        var (source, program) = try Self.live(config)
        defer { source.session.finish() }
        // ↓ to the emergence run, :lr 0.02 and pause it; once the engine has both paused, c: its control.
        program.run(
            on: TestScreen(width: 120, height: 40, script: [.idle, .key(.down), .keys(":lr 0.02"), .key(.enter), .keys(" ")]))
        try source.send(.pause, to: 0)
        source.session.manager.waitUntilSettled()
        program.run(on: TestScreen(width: 120, height: 40, script: [.idle, .keys("c"), .idle]))
        let runs = source.snapshots()
        try #require(runs.count == 3, "the control was added")
        let control = runs[2].config
        #expect(control.controlOf != nil && control.settings.optimizer.learningRate == 0.02)
        #expect(control.label == "control of emergence:alpha=1.2 lr=0.02", "\(control.label)")
        for id in runs.map(\.id) { try source.send(.pause, to: id) }
        source.session.manager.waitUntilSettled()
        source.session.writer?.flush()
        let folder = try #require(source.session.writer?.runFolders[runs[2].id])
        let rebuilt = try RunFolder(path: folder).runConfig()
        #expect(rebuilt.settings.optimizer.learningRate == 0.02 && rebuilt.controlOf == control.controlOf)
    }

    @Test("[ three times on one run makes one fork: a second of the same name and seed is refused, saying how to differ")
    func forksNeverClash() throws {
        let config = try Self.experiment()
        var (source, program) = try Self.live(config)
        defer { source.session.finish() }
        let screen = TestScreen(width: 120, height: 40, script: [.idle, .key(.down), .keys("["), .keys("["), .keys("["), .idle])
        program.run(on: screen)
        let labels = source.snapshots().map(\.config.label)
        #expect(labels == ["kaiming", "emergence:alpha=1.2", "emergence:alpha=1.1"], "\(labels)")
        #expect(screen.text.contains("emergence:alpha=1.1 seed 0 is already a run; fork it with another seed"))
    }

    @Test("+ doubles the selected run's learning rate in the engine; :lr sets the next one; the snapshot carries both")
    func learningRateKeysReachTheEngine() throws {
        let config = try Self.experiment()
        var (source, program) = try Self.live(config)
        defer { source.session.finish() }
        // A first frame shows the runs; then + on run 0 and pause it; ↓, then :lr 0.02 and pause run 1:
        // each change is queued before its pause.
        let screen = TestScreen(
            width: 120, height: 40,
            script: [.idle, .keys("+ "), .key(.down), .keys(":lr 0.02"), .key(.enter), .keys(" "), .idle])
        program.run(on: screen)
        source.session.manager.waitUntilSettled()
        let runs = source.snapshots()
        #expect(runs.map(\.status) == [.paused, .paused])
        #expect(runs[0].settings.learningRate == 0.1, "0.05 × 2")
        #expect(runs[1].settings.learningRate == 0.02)
        let changes = runs[0].events.compactMap { event -> (Double, Double)? in
            if case let .parameterChanged(_, .learningRate, old, new) = event { return (old, new) }
            return nil
        }
        #expect(changes.count == 1 && changes[0] == (0.05, 0.1), "the trainer logged the change it made")
    }

    @Test("refusals reach the status line: momentum on an Adam run, :export without run folders")
    func engineRefusalIsReported() throws {
        let config = try ExperimentConfig.parse(
            JSONParser.parse(
                #"{"name": "adam", "model": {"widths": [16]}, "optimizer": {"kind": "adam", "lr": 0.001}, "epochs": 1000, "epoch_size": 256, "eval_size": 64, "run_folders": false, "runs": [{"init": "kaiming"}]}"#
            ), defaultName: "adam")
        var (source, program) = try Self.live(config)
        defer { source.session.finish() }
        let screen = TestScreen(
            width: 120, height: 40, script: [.idle, .keys(":momentum 0.5"), .key(.enter), .keys(":export"), .key(.enter)])
        program.run(on: screen)
        #expect(screen.frames[14].text.contains("momentum applies to SGD; this run uses adam"))
        #expect(screen.text.contains("this session writes no run folders (--no-run-folders): nothing to export"))
        #expect(program.state.statusIsError)
        #expect(source.snapshots()[0].settings.momentum == nil)
    }

    @Test(":open replaces the experiment and resets the screen; a bad name changes nothing")
    func openAnotherExperiment() throws {
        let first = try Self.experiment(name: "first")
        var (source, program) = try Self.live(first) { name in
            guard name == "second" else { throw UserError("no experiment '\(name)'") }
            return try Self.experiment(name: "second")
        }
        defer { source.session.finish() }
        let screen = TestScreen(
            width: 120, height: 40,
            script: [.keys(":open nothing"), .key(.enter), .keys("y"), .idle, .keys(":open second"), .key(.enter),
                .keys("y"), .idle])
        program.run(on: screen)
        #expect(screen.frames.contains { $0.text.contains("no experiment 'nothing'") && $0.text.contains("first") })
        // The frames go on while the data loads: the old experiment is drawn, and says so.
        // (The key's own frame reports it: `open` returns before any data is read.)
        #expect(screen.frames.contains { $0.text.contains("opening second: loading fashion-mnist-small; first goes on") })
        source.waitUntilOpened()
        let after = TestScreen(width: 120, height: 40, script: [.idle])
        program.run(on: after)
        #expect(source.session.config.name == "second")
        #expect(after.text.contains("opened second: 2 runs"))
        #expect(program.state.experiment == "second")
    }

    @Test("a resize redraws at the new size: too small, then back; q asks while runs train and y ends the session")
    func resizeAndQuit() throws {
        let config = try Self.experiment()
        var (source, program) = try Self.live(config)
        defer { source.session.finish() }
        let screen = TestScreen(
            width: 120, height: 40,
            script: [.resize(width: 60, height: 20), .resize(width: 100, height: 30), .keys("q"), .keys("y"),
                .keys("never reached")])
        program.run(on: screen)
        #expect(screen.frames[0].width == 60 && screen.frames[0].text.contains("terminal too small: 60×20"))
        #expect(screen.frames[1].width == 100 && screen.frames[1].height == 30)
        #expect(!screen.frames[1].text.contains("too small"))
        #expect(screen.frames[2].text.contains("(y/n)"), "q asks first while runs are active")
        #expect(program.quit && screen.closed)
        #expect(screen.frames.count == 3, "y quits before drawing again; the rest of the script is left")
        #expect(!screen.interrupted, "keys were left: the program ended on y, not on the script's end")
    }

    @Test("t moves to the next theme; monochrome screens get the monochrome variant")
    func themeKey() throws {
        let config = try Self.experiment()
        var (source, program) = try Self.live(config)
        defer { source.session.finish() }
        let screen = TestScreen(width: 120, height: 40, depth: .monochrome, script: [.keys("t")])
        program.run(on: screen)
        #expect(program.look.theme.name == "high-contrast", "the next name after default")
        #expect(program.look.theme.isMonochrome)
        #expect(screen.text.contains("theme high-contrast"))
    }

    @Test("view of run folders: steering keys say why not, :export writes the exports, q quits at once")
    func viewOfRunFolders() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("emergent-session-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = try Self.experiment(epochs: 1, runsDirectory: root)
        let session = try ExperimentSession(config)
        session.add(config.runs)
        session.trainToEnd()
        session.finish()
        let directory = try #require(session.writer?.directory)
        let source = try RunFolderSource(paths: [directory])
        var program = DashboardProgram(source: source, header: source.header, look: try Self.look())
        program.state.readOnly = "this is a view of run folders"
        let screen = TestScreen(
            width: 120, height: 40, script: [.idle, .keys("+"), .keys(":export"), .key(.enter), .keys("q"), .keys("left")])
        program.run(on: screen)
        #expect(screen.frames[0].text.contains("view of session"))
        #expect(screen.frames[1].text.contains("'+' changes runs; this is a view of run folders"))
        #expect(screen.frames[screen.frames.count - 1].text.contains("exported"))
        let tables = try FileManager.default.contentsOfDirectory(atPath: directory + "/export/csv")
        #expect(tables.contains { $0.hasSuffix(".csv") }, "the CSV tables were written")
        #expect(program.quit, "q quits a view at once: its runs train elsewhere")
    }
}
