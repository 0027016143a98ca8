@testable import EmergentCore
import Foundation
import Testing

/// A learning rate is chosen on samples carved from the training set: the evaluation set
/// becomes those samples and the test set is never used.
@Suite("The validation split: held-out training samples in place of the test set")
struct ValidationSplitTests {
    @Test("the split is disjoint, covers the training set, and depends only on the seed")
    func split() {
        let split = ValidationSplit(count: 1000, size: 100, seed: 7)
        #expect(split.validation.count == 100 && split.training.count == 900)
        #expect(Set(split.validation).isDisjoint(with: split.training))
        #expect(Set(split.validation + split.training) == Set(0..<1000))
        #expect(split == ValidationSplit(count: 1000, size: 100, seed: 7))
        #expect(split != ValidationSplit(count: 1000, size: 100, seed: 8))
        #expect(split.validation != Array(0..<100), "shuffled, not the first samples")
    }

    @Test("validation_size holds out training images as the evaluation set; the test split is not used")
    func experimentData() throws {
        let config = try ExperimentConfig.parse(
            JSONParser.parse(#"{"validation_size": 2000, "runs": [{"init": "kaiming"}]}"#), defaultName: "v")
        #expect(config.validationSize == 2000)
        let whole = try ExperimentData.load(
            ExperimentConfig.parse(JSONParser.parse(#"{"runs": [{"init": "kaiming"}]}"#), defaultName: "w"))
        let held = try ExperimentData.load(config)
        guard case let .images(all) = whole.content, case let .images(carved) = held.content else {
            Issue.record("image data expected")
            return
        }
        #expect(carved.train.count == all.train.count - 2000 && carved.test.count == 2000)
        let split = ValidationSplit(count: all.train.count, size: 2000, seed: config.seed)
        #expect(carved.test.pixels == all.train.subset(split.validation).pixels, "the evaluation set is training images")
        #expect(carved.test.labels == split.validation.map { all.train.labels[$0] })
        #expect(carved.train.pixels == all.train.subset(split.training).pixels)
        #expect(held.contentChecksum() != whole.contentChecksum(), "a folder records which data it trained on")
    }

    @Test("a validation set as large as the training set is refused, naming the key and the count")
    func tooLarge() throws {
        let config = try ExperimentConfig.parse(
            JSONParser.parse(#"{"validation_size": 10000, "runs": [{"init": "kaiming"}]}"#), defaultName: "v")
        let error = #expect(throws: ExperimentError.self) { try ExperimentData.load(config) }
        #expect(error?.description.contains("validation_size: 10000 is not below the 10000 training samples") == true, "\(String(describing: error))")
        let negative = #expect(throws: ExperimentError.self) {
            try ExperimentConfig.parse(JSONParser.parse(#"{"validation_size": -1, "runs": [{"init": "kaiming"}]}"#), defaultName: "v")
        }
        #expect(negative?.description.contains("validation_size") == true)
    }
}
