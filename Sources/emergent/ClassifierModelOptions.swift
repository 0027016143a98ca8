import ArgumentParser
import EmergentCore

/// The MLP and CNN flags that `train` and `measure` share. They become an experiment's
/// `model` object, so a model is described, checked and built in one place.
struct ClassifierModelOptions: ParsableArguments {
    @Option(help: "MLP: hidden widths, comma-separated (each 1...65536).")
    var widths: String?

    @Option(help: "MLP and CNN: activation (\(ActivationKind.names.joined(separator: ", "))).")
    var activation: String?

    @Flag(help: "MLP and CNN: BatchNorm after each hidden layer.")
    var batchNorm = false

    @Flag(help: "MLP: residual blocks where widths agree; CNN: a second, residual convolution per stage.")
    var residual = false

    var given: [(flag: String, isSet: Bool)] {
        [
            ("--widths", widths != nil), ("--activation", activation != nil), ("--batch-norm", batchNorm),
            ("--residual", residual),
        ]
    }

    /// The `model` object of an experiment file for an `mlp` (hidden widths `defaultWidths`
    /// unless given) or the reference `cnn`.
    func json(kind: String, defaultWidths: [Int]) throws -> JSONValue {
        let document = ClassifierModelDocument(
            widths: widths, activation: activation, batchNorm: batchNorm, residual: residual)
        return try userFacing { try document.json(kind: kind, defaultWidths: defaultWidths) }
    }

    /// The same model, checked.
    func model(kind: String, defaultWidths: [Int]) throws -> ModelConfig {
        do { return try ModelConfig(parsing: try json(kind: kind, defaultWidths: defaultWidths)) } catch let error
            as ExperimentError
        {
            throw ValidationError(Self.flagWording(error.description))
        }
    }

    /// Speaks of the flags rather than the experiment keys they became.
    static func flagWording(_ message: String) -> String {
        let flags = [
            "runs[0].init": "--init", "optimizer.lr": "--learning-rate", "optimizer.momentum": "--momentum",
            "batch_size": "--batch-size", "epochs": "--epochs", "data_dir": "--data-dir", "dataset": "--dataset",
            "model.activation": "--activation", "seed": "--seed", "model.kind": "--model",
        ]
        for (key, flag) in flags where message.hasPrefix(key + ":") { return flag + message.dropFirst(key.count) }
        return message
    }
}
