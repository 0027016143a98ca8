@testable import EmergentCore
import Foundation
import Testing

/// Each arm at its own learning rate: the 1-3 grid, its extension past an edge, the choice,
/// and the experiment it makes (chosen rates, controls at their arm's rate, the fixed-rate
/// arms again for the secondary comparisons).
@Suite("Learning-rate tuning for the claims report", .serialized)
struct LearningRateSearchTests {
    @Test("the 1-3 series: 0.01 ↔ 0.03 ↔ 0.1, 1e-4 ↔ 3e-4")
    func neighbours() {
        #expect(LearningRateTuning.neighbour(of: 0.01, up: true) == 0.03)
        #expect(LearningRateTuning.neighbour(of: 0.03, up: true) == 0.1)
        #expect(LearningRateTuning.neighbour(of: 0.01, up: false) == 0.003)
        #expect(LearningRateTuning.neighbour(of: 0.03, up: false) == 0.01)
        #expect(LearningRateTuning.neighbour(of: 0.0001, up: true) == 0.0003)
        #expect(LearningRateTuning.neighbour(of: 0.3, up: true) == 1)
        #expect(LearningRateTuning.sgd.grid.count >= 5 && LearningRateTuning.adam.grid.count >= 5)
    }

    @Test("a best rate on the edge extends the grid past it until a worse rate brackets it, at most 3 times")
    func extendsPastEdges() {
        var search = LearningRateSearch(arms: ["a", "b", "c"], grid: [0.01, 0.03, 0.1])
        #expect(search.pending.count == 9)
        // a peaks inside; b keeps rising to the top edge; c diverges everywhere.
        let score: [String: (Double) -> Double] = [
            "a": { $0 == 0.03 ? 0.9 : 0.8 }, "b": { $0 }, "c": { _ in .nan },
        ]
        var rounds = 0
        repeat {
            rounds += 1
            for pair in search.pending { search.record(arm: pair.arm, rate: pair.rate, score: score[pair.arm]!(pair.rate)) }
        } while search.extendEdges()
        #expect(search.chosen("a") == 0.03 && search.isBracketed("a") && search.tried["a"] == [0.01, 0.03, 0.1])
        #expect(search.tried["b"] == [0.01, 0.03, 0.1, 0.3, 1, 3], "three steps up, then it stops")
        #expect(search.chosen("b") == 3 && !search.isBracketed("b"))
        #expect(search.tried["c"] == [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1], "all diverged: it looks lower, three times")
        #expect(search.scores["c"]?.values.allSatisfy { $0 == -.infinity } == true)
        #expect(rounds == 4 && search.pending.isEmpty)
    }

    @Test("the tuned experiment: arms and controls at the chosen rate, the changed arms again at the fixed rate, their comparisons secondary")
    func appliedChoice() throws {
        let experiment = try EngineFixtures.experiment(
            #"{"init": "kaiming", "label": "kaiming", "seeds": 4}, {"init": "emergence:alpha=1.2", "label": "emergence", "control": true, "seeds": 4}"#,
            extra: #""optimizer": {"kind": "sgd", "lr": 0.05, "momentum": 0.9}"#)
        var search = LearningRateSearch(arms: ["kaiming", "emergence"], grid: [0.01, 0.05, 0.1])
        for pair in search.pending {
            search.record(arm: pair.arm, rate: pair.rate, score: pair.arm == "kaiming" ? (pair.rate == 0.05 ? 1 : 0) : (pair.rate == 0.01 ? 1 : 0))
        }
        let choice = LearningRateChoice(
            search: search, fixed: ["kaiming": 0.05, "emergence": 0.05], epochs: 1, validationSize: 100, seeds: 1)
        guard case let .array(entries)? = experiment.document["runs"] else {
            Issue.record("no runs in the document")
            return
        }
        // The tuned experiment is a document again: it parses to the runs trained.
        let runs = try ExperimentConfig.parse(
            experiment.document.setting(["runs"], to: .array(choice.entries(entries, fixedSeeds: 3))),
            defaultName: "tuned"
        ).runs
        func rates(_ label: String) -> [Double] { runs.filter { $0.label == label }.map(\.settings.optimizer.learningRate) }
        #expect(rates("kaiming") == [0.05, 0.05, 0.05, 0.05])
        #expect(rates("emergence") == [0.01, 0.01, 0.01, 0.01])
        #expect(rates("control of emergence") == [0.01, 0.01, 0.01, 0.01], "a control at its arm's rate")
        #expect(rates("emergence (lr 0.05)") == [0.05, 0.05, 0.05] && rates("control of emergence (lr 0.05)").count == 3)
        #expect(rates("kaiming (lr 0.05)").isEmpty, "kaiming's choice is the fixed rate: its runs serve both")
        #expect(runs.filter { $0.label == "emergence (lr 0.05)" }.map(\.seed) == [0, 1, 2], "paired with the first seeds")
        let comparisons = choice.fixedComparisons([
            ClaimComparison("emergence", against: "kaiming", on: .final, headline: true),
            ClaimComparison("emergence", against: "control of emergence", on: .final, expecting: .same, headline: true),
        ])
        #expect(
            comparisons == [
                ClaimComparison("emergence (lr 0.05)", against: "kaiming", on: .final),
                ClaimComparison(
                    "emergence (lr 0.05)", against: "control of emergence (lr 0.05)", on: .final, expecting: .same),
            ])
    }

    @Test("a real search on held-out training samples: every pending rate trained, each choice the best score, the folders on the validation split")
    func realSearch() throws {
        let root = try TestFiles.directory("tuning").path
        let report = try ClaimReportRun(only: ["updater"], out: root, quick: true, workers: 2)
        let experiment = try #require(ClaimCatalog.updater.experiments.first)
        var config = try EngineFixtures.experiment(
            #"{"init": "kaiming", "label": "kaiming"}, {"init": "xavier", "label": "xavier"}"#,
            extra: #""epochs": 1, "epoch_size": 256, "eval_size": 100, "runs_dir": "\#(root)/runs""#)
        config.dataset = "fashion-mnist-small"
        let tuning = LearningRateTuning(grid: [0.01, 0.1], epochs: 1, quickEpochs: 1, quickValidationSize: 500)
        let tuned = try report.tune(experiment, config, tuning, onWriteFailure: { _ in }) { session in
            session.trainToEnd()
            return session.finish()
        }
        let choice = try #require(tuned, "trained here, the search ends with a choice")
        #expect(choice.search.pending.isEmpty && choice.validationSize == 500 && choice.fixed["kaiming"] == 0.05)
        for arm in ["kaiming", "xavier"] {
            let scores = try #require(choice.search.scores[arm])
            #expect(scores.count >= 2 && scores.values.allSatisfy { $0.isFinite || $0 == -.infinity })
            #expect(scores[try #require(choice.search.chosen(arm))] == scores.values.max())
        }
        // Every tuning session's folder records the held-out split, and no test metric of the test set.
        let experiments = try FileManager.default.contentsOfDirectory(atPath: root + "/runs").filter { $0.contains("-tuning-") }
        #expect(!experiments.isEmpty)
        for folder in experiments {
            let document = try JSONParser.parse(String(contentsOfFile: "\(root)/runs/\(folder)/experiment.json", encoding: .utf8))
            #expect(document["experiment"]?["validation_size"]?.numberValue == 500, "\(folder)")
            #expect(document["dataset"]?["name"] == .string("fashion-mnist-small (validation split)"), "\(folder)")
        }
    }
}
