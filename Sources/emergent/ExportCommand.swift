import ArgumentParser
import EmergentCore

/// `emergent export RUN_DIR`: tables, plots, a report and TensorBoard files from run folders.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export run folders as CSV tables, SVG plots, a markdown report and TensorBoard event files.",
        discussion: """
            RUN_DIR is a run folder, an experiment folder (runs/<experiment>-<time>) or a runs root. With no format \
            flag, every format is written. Open the TensorBoard files with 'tensorboard --logdir OUT/tensorboard'.
            """)

    @Argument(help: "A run folder, an experiment folder or a runs root.")
    var runDirectory: String

    @Flag(help: "Wide CSV tables, one per series group (train, test, opt, emergence, layers…).")
    var csv = false

    @Flag(help: "SVG plots of loss, the test metric and emergence.")
    var svg = false

    @Flag(help: "A markdown report (config, results with mean ± std, layer tables, plots).")
    var markdown = false

    @Flag(help: "TensorBoard event files (events.out.tfevents.*), one folder per run.")
    var tensorboard = false

    @Flag(help: "The run's newest checkpoint as OUT/<run>.safetensors, for PyTorch (RUN_DIR: one run folder).")
    var weights = false

    @Flag(help: "A log scale for the loss plot.")
    var logY = false

    @Option(help: "The output folder (default: RUN_DIR/export).")
    var out: String?

    func run() throws {
        if weights {
            guard !(csv || svg || markdown || tensorboard) else {
                throw ValidationError("--weights exports a run's parameters alone; export the tables and plots in another call")
            }
            let (path, file) = try userFacing { try RunWeights.export(run: runDirectory, output: out) }
            print("wrote \(path): step \(file.metadata["step"] ?? "?"), epoch \(file.metadata["epoch"] ?? "?"), \(file.tensors.count) tensors")
            return
        }
        let start = ContinuousClock.now
        let formats = ExperimentExporter.Formats(csv: csv, svg: svg, markdown: markdown, tensorBoard: tensorboard)
        let done = try userFacing {
            try ExperimentExporter.export(path: runDirectory, formats: formats, logY: logY, output: out)
        }
        let seconds = (ContinuousClock.now - start).seconds
        print("exported \(done.experiment.runs.count) runs to \(done.output) in \(String(format: "%.2f", seconds)) s:")
        for file in done.files { print("  \(file)") }
    }
}
