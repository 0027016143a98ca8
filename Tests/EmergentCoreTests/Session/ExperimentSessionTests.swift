@testable import EmergentCore
import Foundation
import Testing

/// The one experiment lifecycle: what a session writes is checked against the run folders'
/// own records, read back from disk.
@Suite("Experiment session: data, manager, folders, training, summary")
struct ExperimentSessionTests {
    static func experiment(root: String?, epochs: Int = 1) throws -> ExperimentConfig {
        let folders = root.map { #""runs_dir": "\#($0)""# } ?? #""run_folders": false"#
        return try EngineFixtures.experiment(
            #"{"init": "kaiming"}, {"init": "xavier"}"#, extra: #""epochs": \#(epochs), \#(folders)"#)
    }

    @Test("summary.json's final accuracies recount the last test/acc record of each run's metrics.jsonl")
    func summaryRecountsTheFolders() throws {
        let root = try TestFiles.directory("session").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = try Self.experiment(root: root)
        let session = try ExperimentSession(config, data: EngineFixtures.imageData())
        #expect(session.summarizesExperiment)
        session.add(config.runs)
        session.trainToEnd()
        let summary = session.finish()
        try session.writeSummary(summary)
        let directory = try #require(session.writer?.directory)
        let text = try String(contentsOfFile: directory + "/summary.json", encoding: .utf8)
        guard case let .array(runs)? = try JSONParser.parse(text)["runs"] else {
            Issue.record("summary.json has no runs")
            return
        }
        #expect(runs.count == 2)
        for (index, folder) in try RunFolderReader.runFolderPaths(at: directory).enumerated() {
            let metrics = try String(contentsOfFile: folder + "/metrics.jsonl", encoding: .utf8)
            let last = metrics.split(separator: "\n").compactMap { line -> Double? in
                guard let record = try? JSONParser.parse(String(line)), record["key"] == .string("test/acc") else {
                    return nil
                }
                return record["value"]?.numberValue
            }.last
            #expect(last != nil && runs[index]["final"]?.numberValue == last, "run \(index)")
        }
        #expect(text == (try summary.jsonText(experiment: config)) + "\n")
    }

    @Test("without run folders a session has no writer, and writing its summary writes nothing")
    func withoutFolders() throws {
        let config = try Self.experiment(root: nil)
        let session = try ExperimentSession(config, data: EngineFixtures.imageData())
        #expect(session.writer == nil && session.writeFailure == nil)
        session.add([config.runs[0]])
        session.trainToEnd()
        let summary = session.finish()
        try session.writeSummary(summary)
        #expect(summary.runs.count == 1 && summary.runs[0].status == .done)
    }

    @Test("resuming some of an experiment's runs does not describe the experiment; resuming all does")
    func partialResumeWritesNoSummary() throws {
        let root = try TestFiles.directory("session-resume").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        // The embedded Fashion-MNIST subset, as a resume reloads the data the file names.
        let config = try EngineFixtures.experiment(
            #"{"init": "kaiming"}, {"init": "xavier"}"#,
            extra: #""epochs": 1, "epoch_size": 64, "eval_size": 64, "runs_dir": "\#(root)""#)
        // Each session in its own scope: a session holds its folders' lock while it lives.
        let directory: String
        do {
            let first = try ExperimentSession(config)
            first.add(config.runs)
            first.trainToEnd()
            first.finish()
            directory = try #require(first.writer?.directory)
        }
        let folders = try RunFolderReader.runFolderPaths(at: directory)
        do {
            let one = try ExperimentSession(resuming: ResumedExperiment(paths: [folders[0]]))
            #expect(!one.summarizesExperiment)
            one.finish()
        }
        let all = try ExperimentSession(resuming: ResumedExperiment(path: directory))
        #expect(all.summarizesExperiment)
        all.finish()
    }

    @Test("a missing dataset is refused before anything is written")
    func missingDataset() throws {
        let root = try TestFiles.directory("session-missing").path, empty = try TestFiles.directory("no-cifar").path
        defer { for path in [root, empty] { try? FileManager.default.removeItem(atPath: path) } }
        let config = try EngineFixtures.experiment(
            #"{"init": "kaiming"}"#, extra: #""dataset": "cifar10", "data_dir": "\#(empty)", "runs_dir": "\#(root)""#)
        #expect(throws: UserError.self) { try ExperimentSession(config) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }
}
