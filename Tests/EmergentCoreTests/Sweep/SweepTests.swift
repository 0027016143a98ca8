@testable import EmergentCore
import Foundation
import Synchronization
import Testing

@Suite("Sweeps: grids, metrics, heatmaps")
struct SweepTests {
    @Test("ranges include an end the step lands on, lists keep their order and kinds")
    func ranges() throws {
        let alpha = try SweepGrid.axis("alpha=1:2:0.1")
        #expect(alpha.values.count == 11 && alpha.values.first?.numberValue == 1 && alpha.values.last?.numberValue == 2)
        #expect(alpha.labels == ["1", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "2"])
        #expect(try SweepGrid.axis("lr=0.1:0.3:0.1").values.map(\.numberValue) == [0.1, 0.2, 0.3])
        #expect(try SweepGrid.axis("lr=1:2:0.3").values.map(\.numberValue) == [1, 1.3, 1.6, 1.9])
        #expect(
            try SweepGrid.axis("x=2:1:-0.5".replacingOccurrences(of: "x", with: "tau")).values.map(\.numberValue) == [
                2, 1.5, 1,
            ])
        #expect(try SweepGrid.axis("lr=0.01,0.1").values.map(\.numberValue) == [0.01, 0.1])
        #expect(
            try SweepGrid.axis("init=kaiming,xavier,emergence:alpha=1.5").labels == [
                "kaiming", "xavier", "emergence:alpha=1.5",
            ])
        #expect(
            try SweepGrid.axis("model.widths=[64,64],[128]").labels == ["[64,64]", "[128]"], "commas in brackets stay")
        let grid = SweepGrid(axes: [alpha, try SweepGrid.axis("lr=0.01,0.1")])
        #expect(grid.cellCount == 22)
    }

    @Test(
        "bad grids are one clear line each",
        arguments: [
            ("vibes=1,2", "'vibes' is not a key to sweep"), ("alpha=2:1:0.1", "the range is empty"),
            ("alpha=1:2:0", "the step must not be 0"), ("lr=0.1,,0.2", "an empty value"), ("lr", "is not KEY=A:B:STEP"),
            ("lr=1:2", "a range is A:B:STEP"), ("dataset=mnist,cifar10", "shared by every cell"),
            ("lr=0.1,0.1", "listed twice"), ("alpha=0:100000:0.01", "at most 1000 per axis"),
            // A step so small the count overflows an Int (it trapped).
            ("alpha=1:2:1e-300", "1e+300 values; at most 1000 per axis"),
            ("lr=1e-12:1e-11:1e-300", "9e+288 values; at most 1000 per axis"),
        ])
    func badGrids(text: String, expected: String) {
        do {
            _ = try SweepGrid.axis(text)
            Issue.record("'\(text)' was accepted")
        } catch { #expect(error.description.contains(expected), "\(error.description)") }
    }

    @Test(
        "cells lay the values over the entry: α on the emergence entry, flags over the entry's own; a bad value names its cell"
    )
    func cells() throws {
        let experiment = try EngineFixtures.experiment(
            #"{"init": "kaiming"}, {"init": "emergence:alpha=1.2", "optimizer": {"lr": 0.3}, "control": true}"#)
        let grid = SweepGrid(axes: [try SweepGrid.axis("alpha=1.1,1.5"), try SweepGrid.axis("lr=0.01,0.02")])
        let cells = try grid.cells(of: experiment, seeds: 2)
        #expect(
            cells.map(\.label) == ["alpha=1.1 lr=0.01", "alpha=1.1 lr=0.02", "alpha=1.5 lr=0.01", "alpha=1.5 lr=0.02"])
        #expect(cells.map(\.indices) == [[0, 0], [0, 1], [1, 0], [1, 1]])
        let last = cells[3].experiment.runs
        #expect(last.count == 4, "two seeds of the entry and two of its control")
        #expect(last[0].initializer.options["alpha"] == "1.5" && last[0].settings.optimizer.learningRate == 0.02)
        #expect(last.filter { $0.controlOf != nil }.count == 2)
        let bad = SweepGrid(axes: [try SweepGrid.axis("lr=0.1,-1")])
        do {
            _ = try bad.cells(of: experiment, seeds: nil)
            Issue.record("lr=-1 was accepted")
        } catch { #expect(error.description.contains("cell lr=-1") && error.description.contains("out of range")) }
        let kaimingOnly = try EngineFixtures.experiment(#"{"init": "kaiming"}"#)
        let alphaGrid = SweepGrid(axes: [try SweepGrid.axis("alpha=1.1")])
        do throws(SweepError) {
            _ = try alphaGrid.cells(of: kaimingOnly, seeds: nil)
            Issue.record("α on kaiming was accepted")
        } catch { #expect(error.description.contains("has no parameter 'alpha'")) }
    }

    @Test("grids as a whole: a key twice is refused, and cells are counted without overflow before any is built")
    func wholeGrids() throws {
        #expect(throws: SweepError("--grid lr is given twice; give each key once, with all its values")) {
            try SweepGrid(parsing: ["lr=0.1,0.2", "lr=0.3"])
        }
        #expect(throws: SweepError("--grid optimizer.lr is given twice; give each key once, with all its values")) {
            try SweepGrid(parsing: ["lr=0.1,0.2", "optimizer.lr=0.3"])
        }
        // 16 axes of 1000 values: 1000^16 overflows an Int; it is refused by its count.
        let many = (0..<16).map { "\(["lr", "momentum", "wd", "tau", "epochs", "batch_size", "epoch_size", "eval_size", "label_smoothing", "decode_size", "seed", "model.widths", "model.activation", "optimizer.kind", "measure.every", "init"][$0])=0:999:1" }
        do {
            _ = try SweepGrid(parsing: many)
            Issue.record("a grid of 1000^16 cells was accepted")
        } catch { #expect(error.description.contains("too many cells; at most 100000"), "\(error)") }
        #expect(SweepGrid(axes: try many.prefix(7).map(SweepGrid.axis)).cellCount == .max)
        #expect(try SweepGrid(parsing: ["lr=0.1,0.2", "alpha=1:2:0.5"]).cellCount == 6)
    }

    @Test(
        "a sweep.json is read within bounds: format, cell counts, run names inside the folder, indices on the grid",
        arguments: [
            (#""format": 99"#, "found format 99"),
            (#""grids": ["# + Array(repeating: #""lr=0.01,0.05""#, count: 30).joined(separator: ",") + "]", "30 --grid axes; at most 16"),
            (#""grids": ["lr=0.01,0.05", "lr=0.1"]"#, "given twice"),
            (#""runs": ["../../../../etc"]"#, "'../../../../etc', which is not a run folder's name"),
            (#""runs": ["a/b"]"#, "which is not a run folder's name"),
            (#""indices": [5]"#, "its indices [5] are not a cell of the grid"),
        ])
    func boundedManifest(change: String, expected: String) throws {
        let valid = [
            #""format": 1"#, #""grids": ["lr=0.01,0.05"]"#, #""metric": "test/acc@final""#, #""identity": """#,
            #""runs": ["00-a-s0"]"#, #""indices": [0]"#,
        ]
        let key = change.prefix { $0 != ":" }
        let members = valid.map { $0.hasPrefix(key + ":") ? change : $0 }
        let top = members.filter { !$0.hasPrefix(#""runs""#) && !$0.hasPrefix(#""indices""#) }
        let cell = members.filter { $0.hasPrefix(#""runs""#) || $0.hasPrefix(#""indices""#) }
        let text = "{" + top.joined(separator: ", ") + #", "cells": [{"label": "lr=0.01", "controls": [], "#
            + cell.joined(separator: ", ") + "}]}"
        let folder = try TestFiles.directory("manifest").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try text.write(toFile: folder + "/sweep.json", atomically: true, encoding: .utf8)
        let refusal = #expect(throws: RunFolderError.self, "\(change)") { try SweepManifest.load(directory: folder) }
        let message = refusal?.description ?? ""
        #expect(message.contains(expected), "\(message)")
        #expect(message.contains(folder + "/sweep.json"))
    }

    @Test(
        "a sweep trains cell by cell: one seed a cell on 2 workers, two cells at a time in grid order; two seeds a cell, one cell at a time",
        arguments: [(1, 2), (2, 1)])
    func cellByCell(seeds: Int, cellsAtOnce: Int) throws {
        let experiment = try EngineFixtures.experiment(#"{"init": "emergence:alpha=1.2"}"#, extra: #""epochs": 1"#)
        let grid = SweepGrid(axes: [try SweepGrid.axis("alpha=1.0,1.1,1.2,1.3")])
        let session = try ExperimentSession(experiment, data: try EngineFixtures.imageData(), workers: 2)
        // Which runs have started and not ended, after every event, in the engine's order.
        let training = Mutex<(now: Set<Int>, started: [Int], most: Int)>(([], [], 0))
        session.manager.subscribe { id, event in
            training.withLock { state in
                switch event {
                case .started:
                    state.now.insert(id)
                    state.started.append(id)
                case .finished, .diverged, .failed, .cancelled: state.now.remove(id)
                default: break
                }
                state.most = max(state.most, state.now.count)
            }
        }
        let plan = session.add(sweep: try grid.cells(of: experiment, seeds: seeds), grid: grid, metric: .standard)
        session.trainToEnd()
        let seen = training.withLock { $0 }
        #expect(seen.most == seeds * cellsAtOnce, "at most \(seeds * cellsAtOnce) runs at once, saw \(seen.most)")
        let cellOf = Dictionary(
            uniqueKeysWithValues: plan.cells.enumerated().flatMap { index, cell in cell.runIDs.map { ($0, index) } })
        let order = seen.started.compactMap { cellOf[$0] }
        #expect(order == order.sorted() && order.count == 4 * seeds, "cells start in grid order: \(order)")
        #expect(plan.result(session.finish().runs).cells.allSatisfy { $0.seeds == seeds && $0.mean != nil })
    }

    @Test("metrics: final, best (lowest for a loss), epoch N; bad metrics are refused")
    func metrics() throws {
        let config = try EngineFixtures.experiment(#"{"init": "kaiming"}"#).runs[0]
        var run = RunSnapshot(id: 0, config: config, stepsPerEpoch: 10)
        for (epoch, accuracy, loss) in [(1, 0.5, 1.0), (2, 0.8, 0.4), (3, 0.7, 0.6)] {
            run.apply(
                .epochEnded(
                    EpochRecord(
                        epoch: epoch, step: 10 * epoch, trainLoss: 1, trainAccuracy: 0.5,
                        test: ["test/acc": accuracy, "test/loss": loss], wallTime: 1)))
        }
        #expect(SweepMetric.standard.value(of: run) == 0.7)
        #expect(try SweepMetric(parsing: "test/acc@best").value(of: run) == 0.8)
        #expect(try SweepMetric(parsing: "test/loss@best").value(of: run) == 0.4)
        #expect(try SweepMetric(parsing: "test/acc@epoch1").value(of: run) == 0.5)
        #expect(try SweepMetric(parsing: "test/acc@epoch9").value(of: run) == nil)
        for text in ["test/acc", "acc@final", "test/acc@epoch0", "test/acc@worst", "test/@final"] {
            #expect(throws: SweepError.self, "\(text)") { try SweepMetric(parsing: text) }
        }
    }

    /// A 3×3 result with one diverged cell and one not run.
    static func result() throws -> SweepResult {
        let grid = SweepGrid(axes: [try SweepGrid.axis("alpha=1,1.2,1.5"), try SweepGrid.axis("lr=0.01,0.05,0.1")])
        let cells = (0..<9).map { index -> SweepResult.CellResult in
            let base = 0.80 + 0.01 * Double(index)
            let values: [Double] = index == 8 || index == 5 ? [] : [base, base + 0.01]
            return SweepResult.CellResult(
                indices: [index / 3, index % 3], label: "cell \(index)",
                values: ExperimentSummary.Statistic(values: values), seeds: 2, divergedAt: index == 8 ? [37] : [])
        }
        return SweepResult(grid: grid, metric: .standard, cellResults: cells)
    }

    @Test("a plan's result fills a cell only once all its runs have ended; one diverged run marks it at once")
    func planFillsIn() throws {
        let config = try EngineFixtures.experiment(#"{"init": "kaiming"}"#).runs[0]
        func run(_ id: Int, accuracy: Double, _ end: RunEvent?) -> RunSnapshot {
            var run = RunSnapshot(id: id, config: config, stepsPerEpoch: 10)
            run.apply(.started(seed: 0))
            run.apply(
                .epochEnded(
                    EpochRecord(
                        epoch: 1, step: 10, trainLoss: 1, trainAccuracy: 0.5, test: ["test/acc": accuracy],
                        wallTime: 1)))
            if let end { run.apply(end) }
            return run
        }
        let grid = SweepGrid(axes: [try SweepGrid.axis("lr=0.01,0.05,0.1")])
        let plan = SweepPlan(
            grid: grid, metric: .standard,
            cells: [
                .init(indices: [0], label: "lr=0.01", runIDs: [0, 1]),
                .init(indices: [1], label: "lr=0.05", runIDs: [2, 3]),
                .init(indices: [2], label: "lr=0.1", runIDs: [4, 5]),
            ])
        let snapshots = [
            run(0, accuracy: 0.7, .finished(step: 10)), run(1, accuracy: 0.8, .finished(step: 10)),
            run(2, accuracy: 0.9, .finished(step: 10)), run(3, accuracy: 0.6, nil),
            run(4, accuracy: 0.5, .diverged(step: 7, loss: .nan)),
        ]
        let result = plan.result(snapshots)
        let means = result.cells.map(\.mean)
        #expect(means[0] != nil && abs(means[0]! - 0.75) < 1e-12, "both seeds ended: their mean")
        #expect(means[1] == nil && !result.cells[1].diverged, "one seed still training: not shown yet")
        #expect(result.cells[2].diverged && result.cells[2].divergedAt == [7], "a diverged seed decides the cell")
        #expect(result.cells.map(\.seeds) == [2, 2, 2])
        #expect(result.best?.label == "lr=0.01")
        #expect(plan.finishedCells(snapshots) == 1, "cell 2's second run is missing: not finished")
        let later = snapshots + [run(5, accuracy: 0.5, .finished(step: 10))]
        #expect(plan.finishedCells(later) == 2)
        #expect(
            SweepHeatmap.render(plan.result(later), width: 60) == """
                test/acc@final in %, mean over 2 seeds; * best, div diverged
                         test/acc@final (%)
                lr=0.01              75.00*
                lr=0.05                   ·
                lr=0.1                  div
                best: lr=0.01: 75.00 % ± 7.07
                """)
    }

    @Test("the heatmap's segments carry each valued cell's level on the scale, worst 0 to best last")
    func heatmapLevels() throws {
        let lines = SweepHeatmap.lines(try Self.result(), width: 100)
        let levels = lines.flatMap { $0.compactMap(\.level) }
        // Cells 0...7 with values except 5; 8 diverged: means 0.805…0.875 spread over the scale.
        #expect(levels.count == 7)
        #expect(levels.first == 0 && levels.last == SweepHeatmap.levels - 1)
        #expect(levels == levels.sorted(), "the fixture's means rise cell by cell")
    }

    @Test(
        "the heatmap as text at 100 and 30 columns: labels, values, the best marked, diverged and missing cells, the best against the next (t = √2, df = 2: p = 1 − 1/√2)"
    )
    func heatmapGolden() throws {
        let result = try Self.result()
        #expect(
            SweepHeatmap.render(result, width: 100) == """
                test/acc@final in %, mean over 2 seeds; * best, div diverged
                           lr=0.01 lr=0.05  lr=0.1
                alpha=1      80.50   81.50   82.50
                alpha=1.2    83.50   84.50       ·
                alpha=1.5    86.50  87.50*     div
                best: cell 7: 87.50 % ± 0.71
                next: cell 6: 86.50 % ± 0.71; Welch p = 0.293: not beyond noise
                """)
        #expect(
            SweepHeatmap.render(result, width: 30) == """
                test/acc@final in %, mean over 2 seeds; * best, div diverged
                           lr=0.01 lr=0.05
                alpha=1      80.50   81.50
                alpha=1.2    83.50   84.50
                alpha=1.5    86.50  87.50*
                … 1 more column (30 columns are not enough)
                best: cell 7: 87.50 % ± 0.71
                next: cell 6: 86.50 % ± 0.71; Welch p = 0.293: not beyond noise
                """)
        #expect(result.csv.split(separator: "\n").count == 10 && result.csv.contains("1.5,0.1,2,,,37"))
    }
}
