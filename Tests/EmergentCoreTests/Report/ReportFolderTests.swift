import Foundation
import Testing

@testable import EmergentCore

@Suite("The report's folders and data")
struct ReportFolderTests {
    @Test("an --out folder of another report (other epochs, model or rate) is refused, naming it and a run; the same report's folder carries on")
    func anotherReportsFolder() throws {
        let root = try TestFiles.directory("report-out").path
        let report = try ClaimReportRun(only: ["updater"], out: root, quick: true, workers: 1)
        func config(epochs: Int) throws -> ExperimentConfig {
            var config = try EngineFixtures.experiment(
                #"{"init": "kaiming", "label": "kaiming"}"#,
                extra: #""epochs": \#(epochs), "epoch_size": 64, "eval_size": 50, "runs_dir": "\#(root)/runs""#)
            config.dataset = "fashion-mnist-small"
            config.folderName = "updater"
            return config
        }
        do {
            let (session, resumed) = try #require(
                try report.session(try config(epochs: 2), expecting: try config(epochs: 2).runs, runsAtOnce: nil, onWriteFailure: { _ in }))
            #expect(!resumed)
            session.add(try config(epochs: 2).runs)
            session.finish()
        }
        let refusal = #expect(throws: UserError.self) {
            try report.session(try config(epochs: 3), expecting: try config(epochs: 3).runs, runsAtOnce: nil, onWriteFailure: { _ in })
        }
        let message = refusal?.description ?? ""
        #expect(message.contains("\(root)/runs/updater holds run 'kaiming' (seed 0) of another report"), "\(message)")
        #expect(message.contains("give another --out"))
        let (session, resumed) = try #require(
            try report.session(try config(epochs: 2), expecting: try config(epochs: 2).runs, runsAtOnce: nil, onWriteFailure: { _ in }))
        #expect(resumed && session.manager.snapshots().count == 1)
        session.finish()
    }

    @Test("a sweep experiment run again on its folder carries on: its runs are every cell's (not the file's entries), nothing trains again, the result is the same")
    func sweepCarriesOn() throws {
        let root = try TestFiles.directory("report-sweep").path
        let report = try ClaimReportRun(only: ["updater"], out: root, quick: true, workers: 2)
        var config = try EngineFixtures.experiment(
            #"{"init": "kaiming", "label": "kaiming"}"#,
            extra: #""epochs": 1, "epoch_size": 64, "eval_size": 50, "runs_dir": "\#(root)/runs""#)
        config.dataset = "fashion-mnist-small"
        config.folderName = "grid"
        let experiment = ClaimExperiment(
            name: "grid", title: "a small grid", quick: [],
            sweep: ClaimSweep(axes: ["lr=0.01,0.05"], quickAxes: ["lr=0.01,0.05"]))
        func run() throws -> ReproductionReport.ExperimentResult {
            try #require(try report.run(experiment, config, onWriteFailure: { _ in }) { $0.trainToEnd(); return $0.finish() })
        }
        let first = try run()
        let folders = try RunFolderReader.runFolderPaths(at: root + "/runs/grid")
        let events = try folders.map { try String(contentsOfFile: $0 + "/events.jsonl", encoding: .utf8) }
        let again = try run()
        #expect(folders.count == 2)
        #expect(try folders.map { try String(contentsOfFile: $0 + "/events.jsonl", encoding: .utf8) } == events)
        #expect(again.sweep?.cells.map(\.mean) == first.sweep?.cells.map(\.mean) && first.sweep?.cells.count == 2)
    }

    @Test("--data-dir must hold CIFAR-10's binary batches; the error names the directory and the files")
    func dataDirectory() throws {
        let empty = try TestFiles.directory("no-cifar").path
        let refusal = #expect(throws: UserError.self) {
            try ClaimReportRun(only: [], out: empty, quick: true, workers: 1, dataDirectory: empty)
        }
        #expect(
            refusal?.description
                == "--data-dir: '\(empty)' holds no CIFAR-10 binary batches (data_batch_1.bin … test_batch.bin)")
    }

    @Test("the header names each dataset with its size and where it came from")
    func dataDescription() throws {
        var images = try EngineFixtures.experiment(#"{"init": "kaiming"}"#)
        images.dataset = "fashion-mnist-small"
        var numbers = images
        numbers.dataset = "de-en-numbers"
        let text = ClaimReportRun.dataDescription([images, numbers, images])
        #expect(text.hasPrefix("fashion-mnist-small (images 28×28×1, 10 classes; 10000 training and 2000 test items, Fashion-MNIST subset shipped in data/"))
        #expect(text.hasSuffix("; de-en-numbers (German→English number words; 900000 training and 100000 test items, generated in code: 0…999,999)"))
    }

    @Test("a report's time adds up over its invocations: the ledger is written after each experiment and read back by a rerun; a damaged one starts at zero")
    func timeLedger() throws {
        let out = try TestFiles.directory("report-time").path
        var ledger = ReportTimeLedger(out: out)
        #expect(ledger.total == 0)
        try ledger.add(120, to: "emergence-mlp")
        try ledger.add(30.5, to: "emergence-mlp")
        try ledger.add(10, to: "updater")
        var rerun = ReportTimeLedger(out: out)
        #expect(rerun.seconds == ["emergence-mlp": 150.5, "updater": 10] && rerun.total == 160.5)
        try rerun.add(5, to: "updater")
        #expect(ReportTimeLedger(out: out).seconds["updater"] == 15)
        try "{\"updater\": ".write(toFile: ledger.path, atomically: true, encoding: .utf8)
        #expect(ReportTimeLedger(out: out).total == 0)
    }
}
