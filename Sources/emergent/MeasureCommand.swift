import ArgumentParser
import EmergentCore
import Kernels

/// Emergence and per-layer statistics at initialization, one table per initializer.
struct MeasureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Emergence and per-layer signal statistics of a model at initialization, per initializer.",
        discussion: """
            Every initializer is applied to the same model with the same seed and measured on the same \
            probe batch. --init takes NAME[:KEY=VALUE,...]: \
            \(InitializerSpec.Scheme.allCases.map(\.rawValue).joined(separator: ", ")) \
            (e.g. emergence:alpha=1.2,base=kaiming).
            """)

    @OptionGroup var target: InitModelOptions

    @Option(
        name: .customLong("init"),
        help: "An initializer NAME[:KEY=VALUE,...]; repeatable (default: kaiming and emergence:alpha=1.2).")
    var initializers: [String] = []

    @Option(help: "Activity threshold τ (> 0).")
    var tau = EmergenceSettings.defaultTau

    @Option(help: "Activity criterion: activation (mean |h| > τ) or weight (mean |incoming weight| > τ).")
    var criterion: EmergenceSettings.Criterion = .activation

    @Option(help: "Learning rate for the first-update ratio column (> 0).")
    var learningRate = 0.05

    @Option(help: "A .safetensors file (from 'initialize', or the PyTorch companion's save()): measure its model as loaded.")
    var weights: String?

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    func validate() throws {
        _ = try userFacing { try EmergenceSettings(tau: tau, criterion: criterion) }
        guard learningRate > 0, learningRate.isFinite else {
            throw ValidationError("--learning-rate \(learningRate) must be a positive number")
        }
        for text in initializers {
            do { _ = try InitializerSpec(parsing: text) } catch { throw ValidationError(error.description) }
        }
        if weights != nil {
            let shaping = target.classifier.given + target.transformer.given
            if !initializers.isEmpty || shaping.contains(where: \.isSet) {
                let flags = (initializers.isEmpty ? [] : ["--init"]) + shaping.filter(\.isSet).map(\.flag)
                throw ValidationError(
                    "--weights measures the file's own model and parameters; drop \(flags.joined(separator: ", "))")
            }
        }
    }

    func run() throws {
        FloatingPointMode.enableFlushToZero()
        let settings = try EmergenceSettings(tau: tau, criterion: criterion)
        let specs = try (initializers.isEmpty ? ["kaiming", "emergence:alpha=1.2"] : initializers).map(
            InitializerSpec.init(parsing:))
        var measurement = try target.measurementRun(settings: settings, learningRate: learningRate)
        let results: [InitMeasurement.Result]
        if let weights {
            let file = try userFacing { try SafetensorsFile.read(path: weights) }
            // The probe the file's own init saw, unless asked otherwise.
            if target.dataset == nil { measurement.dataset = file.metadata["dataset"] }
            if target.seed == nil, let seed = file.metadata["seed"].flatMap({ UInt64($0) }) { measurement.seed = seed }
            results = [try userFacing { try measurement.measure(weights: file, path: weights) }]
        } else {
            results = try userFacing { try measurement.measure(specs) }
        }
        if json {
            print(try JSONOutput.text(results))
        } else {
            print(results.map(\.table).joined(separator: "\n"))
        }
    }
}

extension EmergenceSettings.Criterion: ExpressibleByArgument {}
