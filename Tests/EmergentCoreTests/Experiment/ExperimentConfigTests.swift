@testable import EmergentCore
import Foundation
import Testing

@Suite("Experiment files: JSON with positions, strict validation, seeds, controls, presets")
struct ExperimentConfigTests {
    static func parse(_ text: String) throws(ExperimentError) -> ExperimentConfig {
        let document: JSONValue
        do { document = try JSONParser.parse(text) } catch { throw .syntax(file: "test.json", error) }
        return try ExperimentConfig.parse(document, defaultName: "test")
    }

    static func error(_ text: String) -> String {
        do {
            _ = try parse(text)
            return "(no error)"
        } catch { return error.description }
    }

    @Test("JSON text escapes quotes, backslashes and control characters, and reads back to the same strings")
    func jsonTextRoundTrip() throws {
        let strings = ["plain key/α=1.5", "say \"hi\"", "back\\slash", "tab\tnew\nline\r", "bell\u{07}", ""]
        #expect(JSONValue.quoted("say \"hi\"") == #""say \"hi\"""#)
        #expect(JSONValue.quoted("bell\u{07}") == #""bell\u0007""#)
        #expect(JSONValue.quoted("plain key/α=1.5") == "\"plain key/α=1.5\"")
        let document = JSONValue.array(strings.map { .string($0) })
        #expect(try JSONParser.parse(document.text()) == document)
    }

    @Test(
        "malformed JSON names the line and column",
        arguments: [
            ("{\n  \"runs\": [\n    {\"init\": \"kaiming\"},\n  ]\n}", "line 4, column 3: unexpected character ']'"),
            ("{\"runs\": [{\"init\": \"kaiming\"}]", "line 1, column 31: expected ',' or '}' in an object"),
            ("{\"epochs\": 2, \"epochs\": 3}", "line 1, column 15: key 'epochs' appears twice in one object"),
            ("{\"lr\": 01}", "a number may not start with 0"),
            ("{\"name\": \"a\tb\"}", "a control character inside a string"),
            ("{\"runs\": [1e999]}", "is not a finite number"),
            ("", "line 1, column 1: unexpected end of the file"),
            ("{} {}", "unexpected text after the document"),
            ("{\"a\": tru}", "expected 'true'"),
            ("{\"a\": \"\\x\"}", "unknown escape"),
            (String(repeating: "[", count: 100), "nested more than 64 levels deep"),
        ])
    func syntaxErrors(text: String, expected: String) {
        let message = Self.error(text)
        #expect(message.contains(expected), "\(message)")
    }

    @Test(
        "every kind of bad value is one clear line naming the key path and the valid keys or range",
        arguments: [
            (#"{"runs": [{"init": "kaiming"}], "epoch": 3}"#, "epoch: unknown key; valid keys here: "),
            (
                #"{"runs": [{"init": "kaiming"}], "epochs": "3"}"#,
                "epochs: expected a whole number in 1...1000, found a string"
            ),
            (#"{"runs": [{"init": "kaiming"}], "epochs": 0}"#, "epochs: 0 is out of range; it must be in 1...1000"),
            (
                #"{"runs": [{"init": "kaiming"}], "epochs": 2.5}"#,
                "epochs: expected a whole number in 1...1000, found a fraction"
            ),
            (
                #"{"runs": [{"init": "kaiming"}], "optimizer": {"lr": -1}}"#,
                "optimizer.lr: -1 is out of range; it must be in 1e-09...100"
            ),
            (
                #"{"runs": [{"init": "kaiming"}], "optimizer": {"kind": "adam", "momentum": 0.9}}"#,
                "optimizer.momentum: unknown key"
            ),
            (
                #"{"runs": [{"init": "kaiming"}], "model": {"kind": "cnn", "widths": [8, 8]}}"#,
                "model.widths: unknown key; valid keys here: activation, batch_norm, head, kind, residual, stages"
            ),
            (
                #"{"runs": [{"init": "kaiming"}], "model": {"widths": [16, 0]}}"#,
                "model.widths[1]: 0 is out of range; it must be in 1...65536"
            ),
            (
                #"{"runs": [{"init": "kaiming"}], "model": {"widths": []}, "dataset": "imagenet"}"#,
                "dataset: 'imagenet' is not one of: fashion-mnist-small"
            ),
            (
                #"{"runs": [{"init": "kaiming"}], "model": {"kind": "transformer", "width": 128, "heads": 3}}"#,
                "model.heads: width 128 is not divisible by 3 heads"
            ),
            (
                #"{"runs": [{"init": "kaiming"}], "model": {"kind": "transformer"}, "dataset": "fashion-mnist-small"}"#,
                "dataset: 'fashion-mnist-small' is an image set; the transformer takes translation datasets"
            ),
            (#"{"runs": []}"#, "runs: an experiment needs a list of runs"),
            (#"{"epochs": 2}"#, "runs: an experiment needs a list of runs"),
            (#"{"runs": [{"label": "x"}]}"#, "runs[0]: a run needs an \"init\""),
            (
                #"{"runs": [{"init": "kaiming"}, {"init": "emergence:alpha=0"}]}"#,
                "runs[1].init: emergence: alpha=0 is not valid; expected a number in 0.01...100.0"
            ),
            (
                #"{"runs": [{"init": "emergence:alpha=1.2,alpha=3"}]}"#,
                "alpha=3 is not valid; expected one value; alpha appears twice"
            ),
            (
                #"{"runs": [{"init": "kaiming", "control": true}]}"#,
                "runs[0].control: a control run belongs beside an emergence-promoting run"
            ),
            (
                #"{"runs": [{"init": "kaiming", "seeds": 0}]}"#,
                "runs[0].seeds: 0 is out of range; it must be in 1...100"
            ),
            (
                #"{"runs": [{"init": "kaiming", "optimizer": {"lr": "fast"}}]}"#,
                "runs[0].optimizer.lr: expected a number in 1e-09...100, found a string"
            ),
            (#"{"runs": [{"init": "kaiming", "colour": "red"}]}"#, "runs[0].colour: unknown key; valid keys here:"),
            (#"{"runs": [{"init": "fixup"}]}"#, "runs[0].init: Fixup needs residual branches"),
            (
                #"{"runs": [{"init": "updater"}], "model": {"kind": "transformer"}}"#,
                "runs[0].init: the weight updater reads classifier weight layers"
            ),
            (
                #"{"runs": [{"init": "kaiming"}, {"init": "kaiming", "model": {"kind": "transformer"}}]}"#,
                "all runs of an experiment share one dataset"
            ),
            (
                #"{"runs": [{"init": "kaiming"}], "changes": [{"step": 10}]}"#,
                "changes[0]: a change sets exactly one of: lr, momentum, weight_decay, tau"
            ),
            (
                #"{"runs": [{"init": "kaiming"}], "data_dir": "/nonexistent"}"#,
                "data_dir: '/nonexistent' is not a directory"
            ),
            (
                #"{"runs": [{"init": "kaiming"}], "optimizer": {"nesterov": true, "momentum": 0}}"#,
                "Nesterov needs a momentum above 0"
            ),
            (#"{"runs": [{"init": "kaiming"}], "name": "a/b"}"#, "name: 'a/b' must be letters, digits"),
            (#"[1, 2]"#, "(top level): expected an object, found a list"),
        ])
    func invalidValues(text: String, expected: String) {
        let message = Self.error(text)
        #expect(message.contains(expected), "\(message)")
        #expect(!message.contains("\n"))
    }

    @Test("run entries override the experiment; a different model kind replaces the model")
    func overrides() throws {
        let experiment = try Self.parse(
            """
            {"optimizer": {"lr": 0.1, "momentum": 0.5}, "model": {"widths": [32]},
             "runs": [{"init": "kaiming"}, {"init": "xavier", "optimizer": {"lr": 0.01}, "model": {"kind": "cnn"}}]}
            """)
        #expect(experiment.runs[0].settings.optimizer.learningRate == 0.1)
        #expect(
            experiment.runs[1].settings.optimizer.learningRate == 0.01
                && experiment.runs[1].settings.optimizer.momentum == 0.5)
        #expect(
            experiment.runs[1].settings.model
                == .cnn(stages: [[32], [64]], head: [128], activation: .relu, batchNorm: false, residual: false))
    }

    @Test("seeds expand a run into a group; control adds the base init with the same seeds")
    func seedsAndControls() throws {
        let experiment = try Self.parse(
            """
            {"seed": 10, "seeds": 2, "runs": [{"init": "kaiming"}, {"init": "xavier", "seeds": [3, 5, 8]},
             {"init": "emergence:alpha=1.5,base=xavier", "control": true, "seeds": 1}]}
            """)
        #expect(experiment.runs.map(\.seed) == [10, 11, 3, 5, 8, 10, 10])
        #expect(experiment.runs.map(\.group) == [0, 0, 2, 2, 2, 5, 6])
        let control = experiment.runs[6]
        #expect(
            control.initializer.description == "xavier"
                && control.controlOf?.description == "emergence:alpha=1.5,base=xavier")
    }

    @Test("control multipliers are α^(−2·idx) for SGD and α^(−idx) for Adam, per weight")
    func controlMultipliers() throws {
        let model = MLP(MLPConfiguration(widths: [4, 3, 3, 3, 2]))
        let spec = try InitializerSpec(parsing: "emergence:alpha=1.5")
        let sgd = try spec.controlMultipliers(for: model, adaptive: false),
            adam = try spec.controlMultipliers(for: model, adaptive: true)
        // Four layers: indices −2, −1, 1, 2.
        for (name, index) in [
            ("dense1.weight", -2.0), ("dense2.weight", -1.0), ("dense3.weight", 1.0), ("dense4.weight", 2.0),
        ] {
            #expect(abs(Double(sgd[name]!) - pow(1.5, -2 * index)) < 1e-6)
            #expect(abs(Double(adam[name]!) - pow(1.5, -index)) < 1e-6)
        }
        #expect(sgd["dense1.bias"] == nil)
    }

    @Test("command-line overrides reach any key and are checked on their own")
    func commandLineOverrides() throws {
        let document = try JSONParser.parse(#"{"runs": [{"init": "kaiming", "epochs": 5}]}"#)
        let overrides = try ["epochs=2", "optimizer.lr=0.2", "model.widths=[8,8]", "dataset=fashion-mnist"].map(
            ExperimentConfig.override)
        let experiment = try ExperimentConfig.parse(document, defaultName: "x", overrides: overrides)
        #expect(experiment.runs[0].settings.epochs == 2, "flags win over run entries")
        #expect(experiment.runs[0].settings.optimizer.learningRate == 0.2 && experiment.dataset == "fashion-mnist")
        #expect(throws: ExperimentError.self) { try ExperimentConfig.override("colour=red") }
        #expect(throws: ExperimentError.self) { try ExperimentConfig.override("epochs") }
        let zeroEpochs = [try ExperimentConfig.override("epochs=0")]
        let refusal = #expect(throws: ExperimentError.self) {
            try ExperimentConfig.parse(document, defaultName: "x", overrides: zeroEpochs)
        }
        #expect(refusal?.description == "on the command line: epochs: 0 is out of range; it must be in 1...1000")
    }

    @Test(
        "every shipped preset parses",
        arguments: ["default", "cnn", "transformer", "control", "seeds", "freedict-peer"])
    func presets(name: String) throws {
        let experiment = try ExperimentConfig.load(name)
        #expect(experiment.name == name)
        #expect(!experiment.runs.isEmpty)
        if name == "default" {
            #expect(experiment.runs.map(\.label) == ["kaiming", "xavier", "emergence:alpha=1.2", "fractional:s=0.8"])
            #expect(
                experiment.runs[0].settings.model == ModelConfig.standardMLP
                    && experiment.dataset == "fashion-mnist-small")
        }
        if name == "control" { #expect(experiment.runs.contains { $0.controlOf != nil }) }
        if name == "seeds" { #expect(experiment.runs.count == 6) }
    }

    @Test("a file's errors name the file; a missing preset lists the presets")
    func fileErrors() throws {
        let directory = try TestFiles.directory("experiment-files")
        let file = directory.appendingPathComponent("bad.json")
        try Data("{\"runs\": [{\"init\": \"kaiming\"}],\n \"epochs\": -3}".utf8).write(to: file)
        let refusal = #expect(throws: ExperimentError.self) { try ExperimentConfig.load(file.path) }
        #expect(refusal?.description == "\(file.path): epochs: -3 is out of range; it must be in 1...1000")
        let missing = #expect(throws: ExperimentError.self) { try ExperimentConfig.load("no-such-preset") }
        #expect(
            missing?.description.contains("no experiment 'no-such-preset'") == true
                && missing?.description.contains("default") == true)
    }

    @Test("an image set too small for the CNN's pooling, or an empty test split, is refused before training")
    func dataChecks() throws {
        let experiment = try Self.parse(
            #"{"model": {"kind": "cnn", "stages": [[4], [4], [4], [4]]}, "runs": [{"init": "kaiming"}]}"#)
        let data = try EngineFixtures.imageData()
        let small = #expect(throws: ExperimentError.self) { try data.check(experiment.runs[0], path: "runs[0]") }
        #expect(small?.description.contains("images must be at least 16×16; 'synthetic' has 8×8") == true)
        let splits = EngineFixtures.images()
        let empty = ImageDatasetSplits(
            train: splits.train,
            test: ImageDataset(
                name: "x", channels: 1, height: 8, width: 8, pixels: [],
                labels: [], classNames: splits.train.classNames),
            normalization: splits.normalization)
        #expect(throws: ExperimentError.self) {
            try ExperimentData(dataset: "x", content: .images(empty), experimentSeed: 0, probeSize: 8)
        }
        let huge = try Self.parse(
            #"{"model": {"widths": [65536, 65536, 65536, 65536, 65536, 65536, 65536, 65536]}, "runs": [{"init": "kaiming"}]}"#
        )
        let memory = #expect(throws: ExperimentError.self) { try data.check(huge.runs[0], path: "runs[0]") }
        #expect(
            memory?.description.contains("GiB") == true
                && memory?.description.contains("half of this machine's memory") == true)
    }

    @Test("an option edited on a spec is validated like typed text")
    func specSetting() throws {
        let spec = try InitializerSpec(parsing: "emergence:alpha=1.2,base=xavier")
        #expect(try spec.setting("alpha", to: "1.3").description == "emergence:alpha=1.3,base=xavier")
        #expect(throws: InitializerSpec.SpecError.self) { try spec.setting("alpha", to: "0") }
        #expect(throws: InitializerSpec.SpecError.self) { try spec.setting("colour", to: "red") }
    }
}
