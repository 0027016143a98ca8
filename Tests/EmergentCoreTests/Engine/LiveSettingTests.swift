@testable import EmergentCore
import Testing

@Suite("Live settings: one range per setting, one refusal, typed values in snapshots")
struct LiveSettingTests {
    @Test("the refusal names the setting, the value and the range; momentum on Adam names the optimizer")
    func refusals() throws {
        let sgd = try EngineFixtures.experiment(#"{"init": "kaiming"}"#).runs[0]
        let adam = try EngineFixtures.experiment(#"{"init": "kaiming"}"#, extra: #""optimizer": {"kind": "adam"}"#)
            .runs[0]
        #expect(LiveSetting.learningRate.refusal(of: 0.1, for: sgd) == nil)
        #expect(LiveSetting.learningRate.refusal(of: 200, for: sgd) == "lr 200.0 is out of range; it must be in 1e-09...100.0")
        #expect(LiveSetting.tau.refusal(of: .nan, for: sgd)?.hasPrefix("tau nan is out of range") == true)
        #expect(LiveSetting.momentum.refusal(of: 0.5, for: sgd) == nil)
        #expect(LiveSetting.momentum.refusal(of: 0.5, for: adam) == "momentum applies to SGD; this run uses adam")
        #expect(LiveSetting.weightDecay.refusal(of: 11, for: adam)?.contains("0.0...10.0") == true)
    }

    @Test("experiment files read the same ranges: a change or an optimizer value outside one is refused")
    func filesUseTheRanges() throws {
        #expect(throws: ExperimentError.self) {
            try EngineFixtures.experiment(#"{"init": "kaiming"}"#, extra: #""optimizer": {"lr": 101}"#)
        }
        #expect(throws: ExperimentError.self) {
            try EngineFixtures.experiment(#"{"init": "kaiming"}"#, extra: #""changes": [{"step": 3, "lr": 0}]"#)
        }
        #expect(throws: Never.self) {
            try EngineFixtures.experiment(#"{"init": "kaiming"}"#, extra: #""changes": [{"step": 3, "lr": 100}]"#)
        }
    }

    @Test("a snapshot starts from the configuration's values and follows each change")
    func snapshotsFollowChanges() throws {
        let sgd = try EngineFixtures.experiment(#"{"init": "kaiming"}"#).runs[0]
        var snapshot = RunSnapshot(id: 0, config: sgd, stepsPerEpoch: 10)
        #expect(snapshot.settings == LiveSettings(sgd))
        #expect(snapshot.settings.learningRate == 0.05 && snapshot.settings.momentum == 0.9)
        snapshot.apply(.parameterChanged(step: 4, parameter: .learningRate, old: 0.05, new: 0.1))
        snapshot.apply(.parameterChanged(step: 5, parameter: .tau, old: 0.05, new: 0.2))
        #expect(snapshot.settings.learningRate == 0.1 && snapshot.settings.tau == 0.2)
        #expect(snapshot.settings[.weightDecay] == 0)
        let adam = try EngineFixtures.experiment(#"{"init": "kaiming"}"#, extra: #""optimizer": {"kind": "adam"}"#)
            .runs[0]
        #expect(LiveSettings(adam).momentum == nil)
    }
}
