import ArgumentParser
import EmergentCore
import Kernels

/// A model initialized by any scheme, written as safetensors for PyTorch.
struct InitializeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "initialize",
        abstract: "Write a model's initialized parameters to a .safetensors file (PyTorch reads it).",
        discussion: """
            The model is initialized exactly as 'measure' initializes it: the same seed, and for the learned \
            schemes (nio, gradinit, metainit, lsuv, the fractional calibrations) the same search on the chosen \
            data. Tensors are named by their dotted paths (dense1.weight); the file's metadata carries the \
            architecture, the init, the seed, the version and each layer's scale and reason. The per-layer \
            table of the initialized model is printed.
            """)

    @OptionGroup var target: InitModelOptions

    @Option(name: .customLong("init"), help: "The initializer NAME[:KEY=VALUE,...] (e.g. emergence:alpha=1.2).")
    var initializer: String

    @Option(help: "The .safetensors file to write.")
    var out: String

    func validate() throws {
        do { _ = try InitializerSpec(parsing: initializer) } catch { throw ValidationError(error.description) }
        guard out.hasSuffix(".safetensors") else {
            throw ValidationError("--out '\(out)' must name a .safetensors file")
        }
    }

    func run() throws {
        FloatingPointMode.enableFlushToZero()
        let spec = try InitializerSpec(parsing: initializer)
        let settings = try EmergenceSettings(tau: EmergenceSettings.defaultTau, criterion: .activation)
        let measurement = try target.measurementRun(settings: settings, learningRate: 0.05)
        let (result, file) = try userFacing { try measurement.initialize(spec) }
        try userFacing { try file.write(to: out) }
        print(result.table)
        let count = file.tensors.reduce(0) { $0 + $1.values.count }
        print("wrote \(out): \(file.tensors.count) tensors, \(count) parameters")
    }
}
