import ArgumentParser
import EmergentCore
import Benchmarks
import Kernels

struct PeakBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peak",
        abstract: "One core's multiply-add peak in each native kernel's vector width (GFLOP/s).",
        discussion: """
            Twelve independent FMA chains with nothing else in the loop: the ceiling a GEMM kernel of that \
            width can approach on this machine. bench gemm reports each shape as a percentage of it.
            """)

    @OptionGroup var kernel: KernelOption

    @OptionGroup var timing: TimingOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        // Every family this CPU runs, unless one is asked for.
        let sets = kernel.kernel == nil ? InstructionSet.supported : [try kernel.instructionSet()]
        let benchmark = PeakBenchmark(windows: timing.windows, windowSeconds: timing.seconds(default: 0.5))
        let report = PeakBenchReport(windows: timing.windows, machine: BenchMachine(instructionSet: sets[0]))
        if !json { print(report.header) }
        var results: [PeakBenchReport.Result] = []
        for set in sets {
            let gemm = try Gemm(backend: .native(set))
            let (lanes, chains) = gemm.peakLoopShape ?? (0, 0)
            let result = PeakBenchReport.Result(
                kernel: set.rawValue, lanes: lanes, chains: chains, gflops: benchmark.measure(gemm) ?? WindowSpread([]))
            results.append(result)
            if !json { print(report.line(result)) }
        }
        if json { print(try JSONOutput.text(report.document(results))) }
    }
}
