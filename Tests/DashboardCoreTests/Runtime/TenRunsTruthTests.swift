@testable import DashboardCore
@testable import EmergentCore
import Foundation
import Synchronization
import Testing

/// Ten real runs on two workers, through the whole program and the test screen, read as a
/// user reads them: each row's samples/s against the run's measured progress, each ETA against
/// when the run really ended, and the header against their sum. The program's clock is the
/// engine's own work (100 steps of all runs a second, a machine of constant speed), so the
/// figures do not depend on how fast or how loaded this machine is.
@Suite("Ten runs on two workers: the shown rates and ETAs are the runs' real ones")
struct TenRunsTruthTests {
    static let stepsPerClockSecond = 100.0

    /// Ten equal MLP runs (own rows: one entry each), 16-sample batches, 400 steps each.
    static func experiment() throws -> ExperimentConfig {
        let runs = (0..<10).map { #"{"init": "kaiming", "seeds": [\#($0)]}"# }.joined(separator: ", ")
        return try ExperimentConfig.parse(
            JSONParser.parse(
                #"{"name": "ten", "model": {"widths": [16]}, "batch_size": 16, "epochs": 4, "epoch_size": 1600, "eval_size": 16, "probe_size": 16, "measure": {"every": 100000}, "workers": 2, "run_folders": false, "runs": [\#(runs)]}"#
            ), defaultName: "ten")
    }

    /// What a row shows in the right-aligned column that ends at character `end`.
    static func field(_ line: Substring, endingAt end: Int, width: Int) -> String {
        let characters = Array(line)
        guard end <= characters.count else { return "" }
        return String(characters[max(end - width, 0)..<end]).trimmingCharacters(in: .whitespaces)
    }

    /// The character column just past `text` in `line`.
    static func column(after text: String, in line: Substring) -> Int? {
        line.range(of: text).map { line.distance(from: line.startIndex, to: $0.upperBound) }
    }

    static func seconds(_ clock: String) -> Double? {
        let parts = clock.split(separator: ":").compactMap { Double($0) }
        guard parts.count >= 2 else { return nil }
        return parts.reduce(0) { $0 * 60 + $1 }
    }

    @Test("at 200×60 each row's samples/s is within 20 % of its progress over the last 10 s and its ETA within 20 % of the time it really took; the header is their sum, at 80×24 too")
    func ratesAndETAs() throws {
        let config = try Self.experiment()
        let inbox = ProblemInbox()
        // Slices of 4 steps: in the program a slice is 50 ms of a 10-s window (0.5 %); on this
        // clock 50 ms can be dozens of a run's 100 steps a window, and the fairness rule's
        // catching up would move rates by a slice, not the rate window's reading.
        let session = try ExperimentSession(config, budget: .steps(4)) { inbox.post($0) }
        session.add(config.runs)
        let manager = session.manager
        // The clock: every run's steps so far, at 100 steps a second.
        let clock: @Sendable () -> Double = {
            Double(manager.snapshots().reduce(0) { $0 + $1.step }) / Self.stepsPerClockSecond
        }
        let source = LiveExperimentSource(session: session, inbox: inbox, load: nil)
        let look = try DashboardLook(
            theme: "default", symbols: "ascii", frozenClock: false, environment: [:],
            shippedThemes: DashboardSessionTests.themes)
        var program = DashboardProgram(
            source: source, header: DashboardSourceHeader(config), look: look, clock: clock, cpuSeconds: { 0 })
        defer { session.finish() }
        session.start()
        let screen = TestScreen(width: 200, height: 60)
        // Frames every 40 steps of work (0.4 s of the clock) until every run has ended; each
        // frame's clock and every run's step are kept, to measure the truth afterwards.
        var history: [(clock: Double, steps: [Int])] = []
        var shown: (clock: Double, screen: String, small: String)?
        var lastTotal = -1
        for _ in 0..<2_000_000 {
            let runs = manager.snapshots()
            let total = runs.reduce(0) { $0 + $1.step }
            if runs.allSatisfy({ $0.status.isTerminal }) {
                history.append((clock(), runs.map(\.step)))
                break
            }
            if total < lastTotal + 40 {
                Thread.sleep(forTimeInterval: 0.0005)
                continue
            }
            lastTotal = total
            program.frame(on: screen)
            let now = clock()
            history.append((now, manager.snapshots().map(\.step)))
            // Half way (20 s of the 40 the runs take), read the screen at both sizes.
            if shown == nil, now >= 20 {
                let small = DashboardView.render(program.state, width: 80, height: 24, theme: look.theme).text
                shown = (now, screen.text, small)
            }
        }
        let (at, text, small) = try #require(shown, "the runs ended before half way")
        let lines = text.split(separator: "\n")
        let header = try #require(lines.first { $0.contains("samples/s") && $0.contains("eta") })
        let rateEnd = try #require(Self.column(after: "samples/s", in: header))
        let etaEnd = try #require(Self.column(after: "eta", in: header))
        var rates: [Double] = []
        for seed in 0..<10 {
            let row = try #require(
                lines.first { $0.contains("kaiming") && ($0.contains(" s\(seed) ") || (seed == 0 && !$0.contains(" s"))) },
                "row of seed \(seed)\n\(text)")
            let rate = try #require(Double(Self.field(row, endingAt: rateEnd, width: 11)), "\(row)")
            let eta = try #require(Self.seconds(Self.field(row, endingAt: etaEnd, width: 7)), "\(row)")
            rates.append(rate)
            // Truth: samples over the last 10 s of the clock, from the kept history.
            let now = try #require(history.last { $0.clock <= at })
            let before = try #require(history.last { $0.clock <= at - 10 })
            let progress = Double((now.steps[seed] - before.steps[seed]) * 16) / (now.clock - before.clock)
            #expect(abs(rate / progress - 1) <= 0.2, "seed \(seed): shows \(rate) samples/s, progressed \(progress)")
            // Truth: when this run's last step was first seen, minus now.
            let ended = try #require(history.first { $0.steps[seed] >= 400 }?.clock, "seed \(seed) never ended")
            #expect(abs(eta / (ended - at) - 1) <= 0.2, "seed \(seed): ETA \(eta) s, it took \(ended - at) s")
        }
        // The header's total is the rows' sum (each row rounded to a whole sample), at both sizes.
        let total = rates.reduce(0, +)
        for headerLine in [lines[0], small.split(separator: "\n")[0]] {
            let figure = try #require(headerLine.firstMatch(of: /([0-9,]+) samples\/s/), "\(headerLine)")
            let value = try #require(Double(String(figure.1).replacingOccurrences(of: ",", with: "")))
            #expect(abs(value - total) <= 10, "header \(value), rows \(total): \(headerLine)")
        }
    }
}
