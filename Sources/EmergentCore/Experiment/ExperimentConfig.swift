import Foundation

/// An experiment: one dataset and probe, and a list of runs that train side by side, read
/// from a JSON file (the presets are in `data/experiments/`). Validation is strict: an
/// unknown key, a wrong type or an out-of-range value is refused before anything starts.
public struct ExperimentConfig: Sendable {
    public var name: String
    public var dataset: String
    public var dataDirectory: String?
    /// Worker threads; nil: one per core.
    public var workers: Int?
    public var seed: UInt64
    /// Samples in the probe; nil: 256, or the whole training split when it is smaller.
    public var probeSize: Int?
    /// Training samples held out as the evaluation set in place of the test set (0: none):
    /// what a learning rate is chosen on, so the test set is never looked at to choose it.
    public var validationSize = 0
    /// Every run, seeds expanded and controls added, in entry order.
    public var runs: [RunConfig]
    /// The document as read, with command-line overrides applied (what a run folder records).
    public var document: JSONValue
    /// Where run folders go (`runs_dir`, default `runs`), and whether they are written at all
    /// (`run_folders`, default true).
    public var runsDirectory = RunFolderLayout.defaultRoot
    public var writesRunFolders = true
    /// The experiment folder's exact name under `runsDirectory` (nil: the name and a time
    /// stamp): the report's experiments, which a rerun finds again to carry on.
    public var folderName: String?
    /// `slurm.sbatch_args`: a site's sbatch options for `--slurm` (`--mem=4G`, `--account=abc`).
    public var sbatchArguments: [String] = []

    /// Keys of the experiment itself, beside the run settings every entry may override.
    public static let experimentKeys = [
        "name", "dataset", "data_dir", "workers", "seed", "seeds", "probe_size", "validation_size", "runs", "runs_dir",
        "run_folders", "slurm",
    ]
    public static let entryKeys = ["init", "weights", "label", "seeds", "control"]

    /// A preset name (`default`, `cnn`, `claims/updater`…) or a path to a JSON file;
    /// `adjusting` changes the document before the overrides and validation.
    public static func load(
        _ nameOrPath: String, overrides: [(path: [String], value: JSONValue)] = [],
        adjusting adjust: (JSONValue) -> JSONValue = { $0 }
    ) throws(ExperimentError) -> ExperimentConfig {
        let file = try locate(nameOrPath)
        let text: String
        switch TextFile.read(file) {
        case let .success(read): text = read
        case let .failure(refusal): throw .unreadable(file: file, reason: refusal.reason)
        }
        let document: JSONValue
        do { document = try JSONParser.parse(text) } catch { throw .syntax(file: file, error) }
        let fallbackName = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        do { return try parse(adjust(document), defaultName: fallbackName, overrides: overrides) } catch {
            throw error.located(in: file, overrides: overrides)
        }
    }

    /// Where a preset or path lives: an existing file first, then `data/experiments/NAME.json`
    /// (NAME may be in a subfolder, as `claims/updater`).
    public static func locate(_ nameOrPath: String) throws(ExperimentError) -> String {
        if FileManager.default.fileExists(atPath: nameOrPath) { return nameOrPath }
        if !nameOrPath.hasPrefix("/"), !nameOrPath.split(separator: "/").contains(".."), let directory = presetDirectory
        {
            let candidate = (directory as NSString).appendingPathComponent(nameOrPath + ".json")
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        throw .unknownPreset(nameOrPath, known: presetNames)
    }

    public static var presetDirectory: String? {
        EmbeddedData.dataDirectory.map { ($0 as NSString).appendingPathComponent("experiments") }
    }

    public static var presetNames: [String] {
        guard let directory = presetDirectory,
            let files = try? FileManager.default.contentsOfDirectory(atPath: directory)
        else { return [] }
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Validates a document; `overrides` (command-line flags) are laid over every level.
    /// The longest experiment name: its folder adds `-yyyyMMdd-HHmmss-NNN`.
    public static let nameLimit = 200

    public static func parse(
        _ original: JSONValue, defaultName: String,
        overrides: [(path: [String], value: JSONValue)] = []
    ) throws(ExperimentError) -> ExperimentConfig {
        try checkOverrides(overrides)
        var document = original
        for override in overrides { document = document.setting(override.path, to: override.value) }
        var reader = try ConfigReader(document, path: "")
        let name = try reader.optionalString("name") ?? defaultName
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw .invalid(
                path: "name",
                message: "'\(EchoedValue.clipped(name))' must be letters, digits, '-', '_' or '.' (it names the run folder)")
        }
        guard name.utf8.count <= nameLimit else {
            throw .invalid(
                path: "name",
                message: "'\(EchoedValue.clipped(name))' has \(name.utf8.count) bytes; at most \(nameLimit) (it names the "
                    + "experiment folder, with a time stamp, within a file system's 255)")
        }
        let workers = try reader.optionalInteger("workers", 1...256)
        let seed = UInt64(try reader.integer("seed", 0...(1 << 53), default: 0))
        let defaultSeeds = try reader.integer("seeds", 1...100, default: 1)
        let probeSize = try reader.optionalInteger("probe_size", 1...4096)
        let validationSize = try reader.integer("validation_size", 0...1_000_000, default: 0)
        let dataDirectory = try reader.optionalString("data_dir")
        let runsDirectory = try reader.optionalString("runs_dir") ?? RunFolderLayout.defaultRoot
        guard !runsDirectory.isEmpty else {
            throw .invalid(
                path: "runs_dir", message: "must name a folder (to write no run folders, set run_folders to false)")
        }
        let writesRunFolders = try reader.bool("run_folders", default: true)
        let sbatchArguments = try readSlurm(&reader)
        if let dataDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dataDirectory, isDirectory: &isDirectory),
                isDirectory.boolValue
            else {
                throw .invalid(path: "data_dir", message: "'\(dataDirectory)' is not a directory")
            }
        }
        // The experiment-level settings, valid on their own; each entry's overrides go over them.
        let base = try RunSettings.read(&reader)
        let dataset = try reader.choice(
            "dataset", DatasetCatalog.names,
            default: base.model.isTransformer ? "de-en-numbers" : "fashion-mnist-small")
        guard case let .array(entries)? = reader.value("runs"), !entries.isEmpty else {
            throw .invalid(
                path: "runs",
                message: "an experiment needs a list of runs, like [{\"init\": \"kaiming\"}, {\"init\": \"xavier\"}]")
        }
        try reader.finish()
        guard entries.count <= 1000 else {
            throw .invalid(path: "runs", message: "\(entries.count) runs; at most 1000")
        }
        let settingsDocument = JSONValue.object(RunSettings.keys.compactMap { key in document[key].map { (key, $0) } })
        let settingsOverrides = overrides.filter { RunSettings.keys.contains($0.path[0]) }
        var runs: [RunConfig] = []
        for (index, entry) in entries.enumerated() {
            runs += try readEntry(
                entry, index: index, base: settingsDocument, overrides: settingsOverrides,
                experimentSeed: seed, defaultSeeds: defaultSeeds, group: runs.count)
        }
        let image = !base.model.isTransformer
        let isImageSet = !DatasetCatalog.translationNames.contains(dataset)
        if image != isImageSet {
            throw .invalid(
                path: "dataset",
                message:
                    "'\(dataset)' is \(isImageSet ? "an image" : "a translation") set; the \(base.model.kind) takes "
                    + (image ? "image datasets" : "translation datasets (de-en-numbers, freedict-de-en)"))
        }
        if let mixed = runs.first(where: { $0.settings.model.isTransformer != base.model.isTransformer }) {
            throw .invalid(
                path: "runs[\(mixed.group)].model",
                message: "all runs of an experiment share one dataset, so they are all classifiers or all transformers")
        }
        for index in runs.indices {
            runs[index].origin = RunOrigin(entry: index)
            if runs[index].settings.target == nil {
                runs[index].settings.target = TrainingTarget.defaultValue(dataset: dataset)
            }
        }
        var experiment = ExperimentConfig(
            name: name, dataset: dataset, dataDirectory: dataDirectory, workers: workers, seed: seed,
            probeSize: probeSize, runs: runs, document: document)
        experiment.runsDirectory = runsDirectory
        experiment.writesRunFolders = writesRunFolders
        experiment.validationSize = validationSize
        experiment.sbatchArguments = sbatchArguments
        return experiment
    }

    /// `"slurm": {"sbatch_args": ["--mem=4G", "--account=abc"]}`, each argument one option the
    /// job array does not control.
    private static func readSlurm(_ reader: inout ConfigReader) throws(ExperimentError) -> [String] {
        guard var slurm = try reader.object("slurm") else { return [] }
        var arguments: [String] = []
        if let value = slurm.value("sbatch_args") {
            guard case let .array(items) = value else {
                throw .invalid(path: slurm.keyPath("sbatch_args"), message: "must be a list of strings, like [\"--mem=4G\"]")
            }
            for (index, item) in items.enumerated() {
                let path = slurm.keyPath("sbatch_args") + "[\(index)]"
                guard case let .string(text) = item else { throw .invalid(path: path, message: "must be a string") }
                if let problem = SlurmScript.Options.problem(with: text) { throw .invalid(path: path, message: problem) }
                arguments.append(text)
            }
        }
        try slurm.finish()
        return arguments
    }

    private static func readEntry(
        _ entry: JSONValue, index: Int, base: JSONValue, overrides: [(path: [String], value: JSONValue)],
        experimentSeed: UInt64, defaultSeeds: Int, group: Int
    ) throws(ExperimentError) -> [RunConfig] {
        let path = "runs[\(index)]"
        var reader = try ConfigReader(entry, path: path)
        // A weights file is the init `weights:file=PATH`.
        var weightsSpec: String?
        if let weights = try reader.optionalString("weights") {
            guard entry["init"] == nil else {
                throw .invalid(
                    path: reader.keyPath("weights"),
                    message: "a run starts from an \"init\" or from \"weights\", not both; remove one")
            }
            weightsSpec = try WeightsStart.initText(weights, key: reader.keyPath("weights"))
        }
        guard let initText = try reader.optionalString("init") ?? weightsSpec else {
            throw .invalid(
                path: path,
                message: "a run needs an \"init\", like \"kaiming\" or \"emergence:alpha=1.2\", or \"weights\": a .safetensors file")
        }
        let spec: InitializerSpec
        do { spec = try InitializerSpec(parsing: initText) } catch {
            throw .invalid(path: reader.keyPath(weightsSpec == nil ? "init" : "weights"), message: error.description)
        }
        let label = try reader.optionalString("label") ?? spec.label
        var seeds = (0..<defaultSeeds).map { experimentSeed + UInt64($0) }
        if let value = reader.value("seeds") {
            if case .array = value {
                seeds = (try reader.integers("seeds", 0...(1 << 53), count: 1...100) ?? []).map(UInt64.init)
            } else {
                let count = try ConfigReader.integer(value, 1...100, path: reader.keyPath("seeds"))
                seeds = (0..<count).map { experimentSeed + UInt64($0) }
            }
        }
        let control = try reader.bool("control", default: false)
        if control && spec.scheme != .emergence {
            throw .invalid(
                path: reader.keyPath("control"),
                message:
                    "a control run belongs beside an emergence-promoting run (init \"emergence:...\"), not '\(spec.scheme.rawValue)'"
            )
        }
        // Validate the entry's own overrides where they stand, so errors name this entry.
        var ownSettings = reader
        _ = try RunSettings.read(&ownSettings)
        try ownSettings.finish()
        var merged = base
        for key in RunSettings.keys {
            guard let override = entry[key] else { continue }
            // A different model or optimizer kind replaces the object instead of mixing keys of two kinds.
            if ["model", "optimizer", "schedule"].contains(key), let kind = override["kind"],
                kind != merged[key]?["kind"]
            {
                merged = merged.setting([key], to: .null).merging(.object([(key, override)]))
            } else {
                merged = merged.merging(.object([(key, override)]))
            }
        }
        for override in overrides { merged = merged.setting(override.path, to: override.value) }
        var mergedReader = try ConfigReader(merged, path: path)
        let settings = try RunSettings.read(&mergedReader)
        try mergedReader.finish()
        try checkCompatible(spec, settings.model, path: reader.keyPath("init"))
        if weightsSpec != nil {
            try WeightsStart.check(spec.value("file"), fits: settings.model, key: reader.keyPath("weights"))
        }
        var runs = seeds.map { RunConfig(label: label, group: group, seed: $0, initializer: spec, settings: settings) }
        if control {
            let baseSpec = try! InitializerSpec(parsing: spec.value("base"))
            let controlLabel = "control of \(label)"
            runs += seeds.map {
                RunConfig(
                    label: controlLabel, group: group + 1, seed: $0, initializer: baseSpec, controlOf: spec,
                    settings: settings)
            }
        }
        return runs
    }

    /// The model-and-scheme pairs known to fail, refused before any data is loaded.
    static func checkCompatible(_ spec: InitializerSpec, _ model: ModelConfig, path: String) throws(ExperimentError) {
        let residual: Bool
        switch model {
        case let .mlp(_, _, _, _, isResidual, _): residual = isResidual
        case let .cnn(_, _, _, _, isResidual): residual = isResidual
        case .transformer: residual = true
        }
        switch spec.scheme {
        case .updater where model.isTransformer:
            throw .invalid(
                path: path,
                message: "the weight updater reads classifier weight layers; it does not apply to the transformer")
        case .fixup where model.isTransformer:
            throw .invalid(
                path: path, message: "Fixup is for residual MLPs and CNNs; the transformer's scheme is tfixup")
        case .fixup where !residual:
            throw .invalid(path: path, message: "Fixup needs residual branches; set \"residual\": true in the model")
        case .tfixup where !model.isTransformer:
            throw .invalid(path: path, message: "T-Fixup is for the transformer; residual classifiers take fixup")
        case .emergence where spec.value("indexing") == "block" && !model.isTransformer:
            throw .invalid(path: path, message: "block indexing needs transformer blocks; use indexing=layer or auto")
        default:
            break
        }
    }

    /// Command-line values of keys whose meaning does not depend on the model are checked on
    /// their own first, so that their errors name the flag's key rather than the file.
    static func checkOverrides(_ overrides: [(path: [String], value: JSONValue)]) throws(ExperimentError) {
        let independent = [
            "batch_size", "epochs", "epoch_size", "label_smoothing", "measure", "decode_size", "eval_size", "changes",
        ]
        let own = overrides.filter { independent.contains($0.path[0]) }
        guard !own.isEmpty else { return }
        var reader = try ConfigReader(own.reduce(JSONValue.object([])) { $0.setting($1.path, to: $1.value) }, path: "")
        do {
            _ = try RunSettings.read(&reader)
            try reader.finish()
        } catch { throw .incompatible("on the command line: \(error.description)") }
    }

    /// Parses a command-line `KEY=VALUE` (`optimizer.lr=0.1`, `model.widths=[64,64]`): the
    /// value is JSON when it parses as JSON, else a string.
    public static func override(_ text: String) throws(ExperimentError) -> (path: [String], value: JSONValue) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw .incompatible("'\(text)' is not KEY=VALUE (e.g. optimizer.lr=0.1 or model.widths=[64,64])")
        }
        let path = parts[0].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard path.allSatisfy({ !$0.isEmpty }) else {
            throw .incompatible("'\(parts[0])' is not a key path like optimizer.lr")
        }
        let top = path[0]
        guard experimentKeys.contains(top) || RunSettings.keys.contains(top), top != "runs" else {
            throw .incompatible(
                "'\(top)' is not an experiment key; valid: \((experimentKeys.filter { $0 != "runs" } + RunSettings.keys).sorted().joined(separator: ", "))"
            )
        }
        let raw = String(parts[1])
        do { return (path, try JSONParser.parse(raw)) } catch {
            // A list, an object or a number that does not parse is a typo to show, not a string.
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            let looksLikeNumber =
                trimmed.first.map { $0 == "-" || $0.isNumber } == true
                && trimmed.allSatisfy { "0123456789.eE+-".contains($0) }
            if trimmed.hasPrefix("[") || trimmed.hasPrefix("{") || looksLikeNumber {
                throw .incompatible(
                    "'\(parts[0])=\(EchoedValue.clipped(raw))': the value is not valid JSON (\(error.description))")
            }
            return (path, .string(raw))
        }
    }
}
