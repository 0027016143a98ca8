import ArgumentParser
import EmergentCore

/// The flags that override experiment keys, shared by every command that runs an
/// experiment. Each flag is a key: `--epochs 5` is `epochs=5`, and `--set` reaches any key.
struct ExperimentOptions: ParsableArguments {
    @Option(help: "Epochs per run (1...1000); key: epochs.")
    var epochs: Int?

    @Option(
        help:
            "Dataset: fashion-mnist-small, fashion-mnist, mnist, cifar10, freedict-de-en, de-en-numbers; key: dataset.")
    var dataset: String?

    @Option(help: "A directory holding MNIST, CIFAR-10 or Fashion-MNIST files; key: data_dir.")
    var dataDir: String?

    @Option(help: "Worker threads (1...256; default: one per core); key: workers.")
    var workers: Int?

    @Option(help: "The experiment's base seed (seeds of a group count up from it); key: seed.")
    var seed: Int?

    @Option(help: "Seeds per run entry that does not give its own (1...100); key: seeds.")
    var seeds: Int?

    @Option(help: "Batch size (1...65536); key: batch_size.")
    var batchSize: Int?

    @Option(name: .customLong("lr"), help: "Learning rate of every run; key: optimizer.lr.")
    var learningRate: Double?

    @Option(help: "Samples per epoch, a fresh random subset each epoch; key: epoch_size.")
    var epochSize: Int?

    @Option(help: "Steps between probe measurements (1...1000000); key: measure.every.")
    var measureEvery: Int?

    @Option(
        help: ArgumentHelp(
            "A run that starts from a .safetensors weights file, beside the experiment's (a sweep's only entry); the experiment takes the file's model and dataset.",
            valueName: "file"))
    var weights: String?

    @Option(help: "Where run folders go (default: ./runs); key: runs_dir.")
    var runsDir: String?

    @Flag(help: "Write no run folders; key: run_folders=false.")
    var noRunFolders = false

    @Option(
        name: .customLong("set"),
        help:
            "Any experiment key, KEY=VALUE with a JSON value: optimizer.momentum=0.5, model.widths=[64,64]; repeatable."
    )
    var assignments: [String] = []

    /// The values the flags give, in the order they apply (`--set` last, so it can refine a flag).
    func overrides() throws -> CommandLineOverrides {
        var result = CommandLineOverrides()
        if let weights { try userFacing { try result.addWeightsRun(weights) } }
        result.add("--epochs", ["epochs"], epochs.map { .number(Double($0)) })
        result.add("--dataset", ["dataset"], dataset.map { .string($0) })
        result.add("--data-dir", ["data_dir"], dataDir.map { .string($0) })
        result.add("--workers", ["workers"], workers.map { .number(Double($0)) })
        result.add("--seed", ["seed"], seed.map { .number(Double($0)) })
        result.add("--seeds", ["seeds"], seeds.map { .number(Double($0)) })
        result.add("--batch-size", ["batch_size"], batchSize.map { .number(Double($0)) })
        result.add("--lr", ["optimizer", "lr"], learningRate.map { .number($0) })
        result.add("--epoch-size", ["epoch_size"], epochSize.map { .number(Double($0)) })
        result.add("--measure-every", ["measure", "every"], measureEvery.map { .number(Double($0)) })
        result.add("--runs-dir", ["runs_dir"], runsDir.map { .string($0) })
        result.add("--no-run-folders", ["run_folders"], noRunFolders ? .bool(false) : nil)
        for text in assignments {
            do { try result.set(text) } catch { throw ValidationError("--set: \(error.description)") }
        }
        return result
    }

    func validate() throws {
        // The seed is a whole number a double holds exactly, as every seed in a run folder is.
        try FlagRange.check("--seed", seed, 0...(1 << 53))
        if noRunFolders, runsDir != nil {
            throw ValidationError("--no-run-folders writes no folders, so --runs-dir has nothing to name; give one of them")
        }
    }

    /// The experiment with these flags applied, validated; a value a flag gave is refused
    /// naming the flag, not the experiment file.
    /// `onlyAddedRuns`: the runs `--weights` adds replace the experiment's (a sweep's entry).
    func load(_ nameOrPath: String, onlyAddedRuns: Bool = false) throws -> ExperimentConfig {
        var overrides = try overrides()
        overrides.addedRunsOnly = onlyAddedRuns
        do { return try overrides.load(nameOrPath) } catch { throw ValidationError(error.description) }
    }
}
