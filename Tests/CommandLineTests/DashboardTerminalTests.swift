import Foundation
import Testing

/// The dashboard end to end in tmux: a private socket, pinned TERM, LANG and size, and
/// polling instead of sleeps (the bounds only turn a hang into a failure).
@Suite("The dashboard in a real terminal", .serialized)
struct DashboardTerminalTests {
    let socket = "emergent-dash-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    func start(_ environment: String = "", arguments: String = "--epochs 3 --set model.widths=[32]") -> Bool {
        // The test runner may export NO_COLOR itself; each test decides.
        let command =
            "env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 \(environment) \(EmergentProcess.executable.path) \(arguments)"
            + "; echo EXIT=$?; stty -a; echo STTY-DONE; sleep 600"
        return TerminalProgressTests.startSession(socket, width: 200, height: 60, command: command) == 0
    }

    func screen(escapes: Bool = false) -> String {
        (try? TerminalProgressTests.tmux(socket, ["capture-pane", "-p"] + (escapes ? ["-e"] : []))) ?? ""
    }

    /// Polls the screen until `condition` holds (about `polls` / 10 seconds at most; the bound
    /// only turns a hang into a failure).
    @discardableResult
    func waitFor(_ what: String, polls: Int = 600, _ condition: (String) -> Bool) -> String {
        var text = screen()
        for _ in 0..<polls where !condition(text) {
            Thread.sleep(forTimeInterval: 0.1)
            text = screen()
        }
        #expect(condition(text), "waited for \(what); screen:\n\(text)")
        return text
    }

    func keys(_ keys: String...) { _ = try? TerminalProgressTests.tmux(socket, ["send-keys"] + keys) }

    static let braille: ClosedRange<Character> = "\u{2801}"..."\u{28FF}"

    /// Any SGR that sets a colour (30–37, 40–47, 90–97, 100–107, 38;…, 48;…); resets (39, 49) are not colours.
    static func colour() throws -> Regex<AnyRegexOutput> {
        try Regex(#"\x1B\[(?:[0-9;]*;)?(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)(?:;|m)"#)
    }

    @Test(
        "the four default runs train with braille curves; help opens and closes; keys steer; q asks, then exits and restores the terminal"
    )
    func dashboard() throws {
        #expect(start())
        defer { _ = try? TerminalProgressTests.tmux(socket, ["kill-server"]) }
        let first = waitFor("the four runs and braille curves") { text in
            ["kaiming", "xavier", "emergence:alpha=1.2", "fractional:s=0.8"].allSatisfy { text.contains($0) }
                && text.contains { Self.braille.contains($0) } && text.contains("Emergent · default")
        }
        waitFor("values to change") { $0 != first }
        let escaped = screen(escapes: true)
        #expect(
            escaped.firstMatch(of: try Self.colour()) != nil,
            "the runs are drawn in colour:\n\(escaped.prefix(400).debugDescription)")
        keys("?")
        waitFor("the help overlay") { $0.contains("keys · Esc closes") }
        keys("Escape")
        waitFor("the help to close") { !$0.contains("keys · Esc closes") }
        keys("+")
        waitFor("the learning-rate confirmation") { $0.contains("kaiming: learning rate 0.05 → 0.1") }
        waitFor("the change in the selected run's events") { $0.firstMatch(of: /step \d+: lr 0\.05 → 0\.1/) != nil }
        keys(":lr 0.01", "Enter")
        waitFor("the confirmation") { $0.contains("kaiming: lr = 0.01") }
        keys(":lr -1", "Enter")
        waitFor("the range error") { $0.contains(":lr -1 is out of range; it must be in 1e-09...100") }
        keys("j", "j", "]")
        waitFor("the forked run") { $0.contains("forked with α 1.3") && $0.contains("emergence:alpha=1.3") }
        keys(":open nosuch", "Enter", "y")
        waitFor("the open error, the runs unchanged") { $0.contains("nosuch") && $0.contains("emergence:alpha=1.3") }
        _ = try? TerminalProgressTests.tmux(socket, ["resize-window", "-x", "60", "-y", "20"])
        waitFor("the too-small message") { $0.contains("terminal too small: 60×20") && $0.contains("need 80×24") }
        _ = try? TerminalProgressTests.tmux(socket, ["resize-window", "-x", "200", "-y", "60"])
        waitFor("the panes again") { $0.contains("Emergent · default") && $0.contains("emergence:alpha=1.3") }
        keys("q")
        waitFor("the quit question") { $0.contains("quit? (y/n)") }
        keys("y")
        let after = waitFor("the exit and the terminal modes") { $0.contains("EXIT=0") && $0.contains("STTY-DONE") }
        #expect(after.contains(" icanon") && after.contains(" echo "), "terminal modes restored:\n\(after)")
    }

    @Test("in a real terminal: the legend names the runs, / filters them, a mouse click selects a run and the wheel moves on")
    func legendFilterAndMouse() throws {
        #expect(start())
        defer { _ = try? TerminalProgressTests.tmux(socket, ["kill-server"]) }
        waitFor("the legend over the curves") { text in
            text.contains("■ kaiming  ■ xavier  ■ emergence:alpha=1.2") && text.contains("init & events · kaiming")
        }
        // A click (SGR mouse report, 1-based) on the runs table's second row, the xavier run.
        let table = screen().split(separator: "\n", omittingEmptySubsequences: false)
        let row = try #require(table.firstIndex { $0.contains("■ xavier") && $0.contains("training") })
        keys("-l", "\u{1B}[<0;10;\(row + 1)M\u{1B}[<0;10;\(row + 1)m")
        waitFor("xavier selected by the click") { $0.contains("init & events · xavier") }
        keys("-l", "\u{1B}[<65;10;\(row + 1)M")
        waitFor("the wheel moves to the next run") { $0.contains("init & events · emergence:alpha=1.2") }
        keys("/", "f", "r", "a", "c", "Enter")
        let filtered = waitFor("the filter") { $0.contains("runs · / frac: 1 of 4 rows") }
        #expect(!filtered.contains("│■ kaiming"), "\(filtered)")
        keys("q", "y")
        waitFor("the exit") { $0.contains("EXIT=") }
    }

    @Test("dash --weights: a run from a weights file trains beside the experiment's on the file's model; a weights run picked with a reads its path from the command line")
    func weightsRun() throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-dash-weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/w.safetensors"
        let made = try EmergentProcess.run(["initialize", "--widths", "32", "--init", "kaiming", "--seed", "2", "--out", path])
        try #require(made.status == 0, "\(made.standardError)")
        #expect(start(arguments: "dash --weights \(path) --epochs 2 --no-run-folders"))
        defer { _ = try? TerminalProgressTests.tmux(socket, ["kill-server"]) }
        waitFor("the file's run beside the experiment's") { text in
            ["kaiming", "fractional:s=0.8", "weights w.safetensors"].allSatisfy { text.contains($0) }
        }
        keys("a")
        waitFor("the picker") { $0.contains("add a run") && $0.contains("a weights file as it is") }
        for _ in 0..<20 { keys("j") }
        keys("Enter")
        waitFor("the command line, open for the file's path") { $0.contains(":add weights:file=") }
        keys("-l", path)
        keys("Enter")
        waitFor("the picked run, named by its file") { $0.components(separatedBy: "weights w.safetensors").count >= 4 }
        keys("q", "y")
        waitFor("the exit") { $0.contains("EXIT=0") }
    }

    @Test("Ctrl-C exits with status 130, restores the terminal and says where the run folders are; NO_COLOR draws no colour")
    func interruptAndNoColor() throws {
        #expect(start("NO_COLOR=1"))
        defer { _ = try? TerminalProgressTests.tmux(socket, ["kill-server"]) }
        waitFor("the runs table") { $0.contains("kaiming") && $0.contains("fractional:s=0.8") }
        let colored = screen(escapes: true)
        #expect(colored.firstMatch(of: try Self.colour()) == nil, "colour escapes with NO_COLOR")
        #expect(colored.contains("\u{1B}["), "the capture holds escapes at all (bold, reverse)")
        keys("C-c")
        let after = waitFor("the exit and the terminal modes") { $0.contains("EXIT=") && $0.contains("STTY-DONE") }
        #expect(after.contains(" icanon") && after.contains(" echo "), "terminal modes restored:\n\(after)")
        #expect(after.contains("EXIT=130"), "Ctrl-C's status, as a shell reports it:\n\(after)")
        #expect(
            after.contains("run folders: runs/default-") && after.contains("emergent view runs/default-")
                && after.contains("emergent resume runs/default-"), "\(after)")
    }

    @Test(
        "the transformer preset shows its runs and the encoder and decoder layers; SIGTERM exits and restores the terminal"
    )
    func transformerAndTerminate() throws {
        #expect(start(arguments: "dash transformer --epochs 1"))
        defer { _ = try? TerminalProgressTests.tmux(socket, ["kill-server"]) }
        let text = waitFor("the transformer's layers", polls: 3000) { text in
            text.contains("Emergent · transformer") && text.contains("enc1") && text.contains("dec1")
                && text.contains("tok acc")
        }
        #expect(!text.contains("test acc"))
        let pid = try TerminalProgressTests.tmux(socket, ["list-panes", "-F", "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // The pane runs a shell; its child is emergent.
        #expect(system("pkill -TERM -P \(pid) -f emergent") == 0)
        let after = waitFor("the exit and the terminal modes") { $0.contains("EXIT=") && $0.contains("STTY-DONE") }
        #expect(after.contains(" icanon") && after.contains(" echo "), "terminal modes restored:\n\(after)")
    }

    @Test(
        "view follows run folders another process is writing: new steps appear, steering keys say why not, :export writes, q quits at once"
    )
    func viewFollowsAnotherProcess() throws {
        let root = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-view-\(UUID().uuidString)")
        let writer = Process()
        writer.executableURL = EmergentProcess.executable
        writer.arguments = [
            "run", "default", "--epochs", "40", "--epoch-size", "1280", "--set", "eval_size=200", "--runs-dir", root,
        ]
        writer.standardOutput = FileHandle.nullDevice
        writer.standardError = FileHandle.nullDevice
        try writer.run()
        defer {
            // SIGKILL: a child of the test runner may inherit a mask that blocks SIGTERM.
            kill(writer.processIdentifier, SIGKILL)
            writer.waitUntilExit()
        }
        var experiment: String?
        for _ in 0..<3000 where experiment == nil {
            if let name = try? FileManager.default.contentsOfDirectory(atPath: root).first(where: {
                $0.hasPrefix("default-")
            }),
                FileManager.default.fileExists(atPath: "\(root)/\(name)/03-fractional-s=0.8-s0/config.json")
            {
                experiment = "\(root)/\(name)"
            } else {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        let folder = try #require(experiment)
        #expect(start(arguments: "view \(folder)"))
        defer { _ = try? TerminalProgressTests.tmux(socket, ["kill-server"]) }
        func kaimingStep(_ text: String) -> Int? {
            guard
                let line = text.split(separator: "\n").first(where: { $0.contains("kaiming ") && $0.contains("/400") })
            else { return nil }
            return line.firstMatch(of: /(\d+)\/400/).flatMap { Int($0.1) }
        }
        let first = waitFor("the four runs from the folders") { text in
            text.contains("view of default") && text.contains("fractional:s=0.8") && kaimingStep(text) != nil
        }
        let seen = kaimingStep(first) ?? 0
        // The writer goes on; the view shows what it appends.
        waitFor("a later step of kaiming than \(seen)") { (kaimingStep($0) ?? 0) > seen }
        keys("Space")
        waitFor("the read-only message") { $0.contains("changes runs; this is a view of run folders") }
        keys(":lr 0.1", "Enter")
        waitFor("the read-only message for :lr") { $0.contains(":lr changes runs") }
        keys(":export", "Enter")
        waitFor("the export") { $0.contains("exported") && $0.contains("files to") }
        #expect(FileManager.default.fileExists(atPath: folder + "/export/report.md"))
        keys("q")
        let after = waitFor("the exit without a question") { $0.contains("EXIT=0") && $0.contains("STTY-DONE") }
        #expect(!after.contains("quit? (y/n)"))
    }

    @Test("sweep --dashboard: the heatmap pane fills in as cells finish; q quits and the heatmap is printed")
    func sweepDashboard() throws {
        #expect(
            start(
                arguments:
                    "sweep default --grid lr=0.02,0.05 --dashboard --epochs 1 --epoch-size 512 --set eval_size=200 "
                    + "--set model.widths=[32] --no-run-folders"))
        defer { _ = try? TerminalProgressTests.tmux(socket, ["kill-server"]) }
        waitFor("the sweep pane with its axis") { $0.contains("─ sweep · ") && $0.contains("lr=0.05") }
        let done = waitFor("both cells", polls: 3000) {
            $0.contains("sweep · 2/2 cells done") && $0.contains("best: lr=")
        }
        #expect(done.firstMatch(of: /lr=0\.02 +\d+\.\d\d/) != nil, "the cell's value:\n\(done)")
        keys("q")
        let after = waitFor("the exit and the printed heatmap") { $0.contains("EXIT=0") && $0.contains("STTY-DONE") }
        #expect(
            after.contains("test/acc@final in %") && after.contains("best: lr="), "the heatmap on stdout:\n\(after)")
        #expect(after.contains(" icanon") && after.contains(" echo "), "terminal modes restored:\n\(after)")
    }

    @Test("view on a sweep's folder: the heatmap of its cells, read from sweep.json and the run folders")
    func viewOfSweep() throws {
        let root = (NSTemporaryDirectory() as NSString).appendingPathComponent(
            "emergent-view-sweep-\(UUID().uuidString)")
        let sweep = try EmergentProcess.run([
            "sweep", "default", "--grid", "lr=0.02,0.05", "--epochs", "1", "--epoch-size", "512", "--set",
            "eval_size=200", "--set", "model.widths=[32]", "--runs-dir", root,
        ])
        #expect(sweep.status == 0, "\(sweep.standardError)")
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: root).first { $0.hasPrefix("default-") })
        #expect(FileManager.default.fileExists(atPath: "\(root)/\(name)/sweep.json"))
        #expect(start(arguments: "view \(root)/\(name)"))
        defer { _ = try? TerminalProgressTests.tmux(socket, ["kill-server"]) }
        let text = waitFor("the sweep pane with both cells") { $0.contains("sweep · 2/2 cells done") }
        #expect(text.contains("best: lr=") && text.firstMatch(of: /lr=0\.05 +\d+\.\d\d/) != nil, "\(text)")
        keys("q")
        waitFor("the exit") { $0.contains("EXIT=0") }
    }
}
