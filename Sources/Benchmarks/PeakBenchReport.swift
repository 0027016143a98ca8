import Foundation

/// `bench peak`: each kernel family's FMA peak, as a table and as JSON.
public struct PeakBenchReport {
    public struct Result: Encodable {
        public let kernel: String
        public let lanes: Int
        public let chains: Int
        /// The median window's, with the lowest and highest.
        public let gflops: Double
        public let gflopsLow: Double
        public let gflopsHigh: Double

        public init(kernel: String, lanes: Int, chains: Int, gflops: WindowSpread) {
            self.kernel = kernel
            self.lanes = lanes
            self.chains = chains
            self.gflops = gflops.median
            gflopsLow = gflops.low
            gflopsHigh = gflops.high
        }
    }

    public struct Document: Encodable {
        let benchmark = "peak"
        let threads = 1
        let machine: BenchMachine
        let results: [Result]
    }

    public let windows: Int
    public let machine: BenchMachine

    public init(windows: Int, machine: BenchMachine) {
        self.windows = windows
        self.machine = machine
    }

    public var header: String {
        [
            "FMA peak, one thread, GFLOP/s (median of \(windows) windows ±half their range)", machine.line,
            "kernel      lanes  chains   GFLOP/s",
        ]
            .joined(separator: "\n")
    }

    public func line(_ result: Result) -> String {
        result.kernel.padding(toLength: 12, withPad: " ", startingAt: 0)
            + "\(result.lanes)".padding(toLength: 7, withPad: " ", startingAt: 0)
            + "\(result.chains)".padding(toLength: 7, withPad: " ", startingAt: 0)
            + String(format: "%9.1f", result.gflops)
            + String(format: " ±%.1f%%", result.gflops > 0 ? 50 * (result.gflopsHigh - result.gflopsLow) / result.gflops : 0)
    }

    public func document(_ results: [Result]) -> Document { Document(machine: machine, results: results) }
}
