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

    struct Document: Encodable {
        struct Result: Encodable {
            let kernel: String
            let lanes: Int
            let chains: Int
            let gflops: Double
        }
        let benchmark = "peak"
        let threads = 1
        let machine: BenchMachine
        let results: [Result]
    }

    func run() throws {
        // Every family this CPU runs, unless one is asked for.
        let sets = kernel.kernel == nil ? InstructionSet.supported : [try kernel.instructionSet()]
        let benchmark = PeakBenchmark(windows: timing.windows, windowSeconds: timing.seconds(default: 0.5))
        let machine = BenchMachine(instructionSet: sets[0])
        if !json {
            print("FMA peak, one thread, GFLOP/s (median of \(timing.windows) windows)")
            print(machine.line)
            print("kernel      lanes  chains   GFLOP/s")
        }
        var results: [Document.Result] = []
        for set in sets {
            let gemm = try Gemm(backend: .native(set))
            let gflops = benchmark.measure(gemm) ?? .nan
            let (lanes, chains) = gemm.peakLoopShape ?? (0, 0)
            results.append(.init(kernel: set.rawValue, lanes: lanes, chains: chains, gflops: gflops))
            if !json {
                print(
                    set.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + "\(lanes)".padding(toLength: 7, withPad: " ", startingAt: 0)
                        + "\(chains)".padding(toLength: 7, withPad: " ", startingAt: 0)
                        + String(format: "%9.1f", gflops))
            }
        }
        if json { print(try JSONOutput.text(Document(machine: machine, results: results))) }
    }
}
