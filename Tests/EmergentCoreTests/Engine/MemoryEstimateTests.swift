@testable import EmergentCore
import Foundation
import Testing

/// The memory check counts every run that will live at once, from the configuration alone.
@Suite("Memory estimate of an experiment")
struct MemoryEstimateTests {
    @Test("the estimate is the formula: per run 4 bytes × (4 × parameters + (batch + probe) × activations) + histories, plus the data once")
    func formula() throws {
        let config = try EngineFixtures.experiment(#"{"init": "kaiming", "seeds": 3}, {"init": "xavier"}"#)
        let estimate = MemoryEstimate(runs: config.runs, dataset: "fashion-mnist-small", probe: 32)
        // 784-16-16-10 MLP: (785·16 + 17·16 + 17·10) parameters; 4 · (16 + 16 + 784) floats a sample.
        let parameters = 785.0 * 16 + 17 * 16 + 17 * 10
        let activations = 4.0 * (16 + 16 + 784)
        let perRun = 4 * (4 * parameters + (16 + 32) * activations) + MemoryEstimate.historyBytes
        #expect(config.runs.count == 4)
        #expect(estimate.runs == 4)
        #expect(estimate.bytes == 4 * perRun + 12_000 * 784 * 4)
        #expect(
            MemoryEstimate(runs: config.runs, dataset: "fashion-mnist-small", probe: 32, includingData: false).bytes
                == 4 * perRun)
    }

    @Test("twelve runs of 8000-wide layers (about 2 GiB each) are refused on a 24 GiB machine, with both figures")
    func experimentTooLarge() throws {
        let config = try EngineFixtures.experiment(
            #"{"init": "kaiming"}, {"init": "xavier"}, {"init": "orthogonal"}, {"init": "default"}"#,
            model: #"{"kind": "mlp", "widths": [8000, 8000, 8000]}"#, extra: #""seeds": 3"#)
        let estimate = MemoryEstimate(runs: config.runs, dataset: "fashion-mnist", probe: 256)
        #expect(estimate.runs == 12)
        #expect((24...28).contains(estimate.bytes / 1_073_741_824), "\(estimate.bytes / 1_073_741_824) GiB")
        do {
            try estimate.check(what: "the experiment's 12 runs", available: 24 * 1_073_741_824)
            Issue.record("12 runs of 2 GiB fit in 24 GiB")
        } catch {
            #expect(error.description.hasPrefix("the experiment's 12 runs need about 2"), "\(error)")
            #expect(error.description.contains("and 24.0 GiB is available"), "\(error)")
        }
        // One of them fits.
        try MemoryEstimate(runs: [config.runs[0]], dataset: "fashion-mnist", probe: 256)
            .check(what: "the new run", available: 24 * 1_073_741_824)
    }

    @Test("the session checks the whole experiment before loading data, and a run added live against what is free now")
    func sessionChecks() throws {
        let huge = try EngineFixtures.experiment(
            #"{"init": "kaiming"}"#, model: #"{"kind": "mlp", "widths": [60000, 60000]}"#, extra: #""run_folders": false"#)
        // 60000² parameters, 16 bytes each, is 54 GiB: more than any machine of ours has free.
        do {
            _ = try ExperimentSession(huge, data: EngineFixtures.imageData())
            Issue.record("a 54 GiB run was let in")
        } catch { #expect("\(error)".contains("the experiment's 1 run needs about"), "\(error)") }
        let small = try EngineFixtures.experiment(#"{"init": "kaiming"}"#, extra: #""run_folders": false"#)
        let session = try ExperimentSession(small, data: EngineFixtures.imageData())
        do {
            try session.addChecked(huge.runs[0])
            Issue.record("a 54 GiB run was added live")
        } catch { #expect("\(error)".contains("the new run needs about"), "\(error)") }
        #expect(session.manager.snapshots().isEmpty, "nothing was added")
        try session.addChecked(small.runs[0])
        #expect(session.manager.snapshots().count == 1)
        session.finish()
    }
}
