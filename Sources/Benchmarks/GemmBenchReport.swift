import EmergentCore
import Foundation
import Kernels

/// Text and JSON renderings of `emergent bench gemm`.
public struct GemmBenchReport {
    let backends: [GemmBackend]
    /// NN, NT, TN or TT.
    let layout: String
    let machine: BenchMachine
    /// The FMA peak of the native kernel's width (`bench peak`), when the native kernel ran.
    let peakGflops: Double?

    private var hasRatio: Bool { backends.count == 2 }

    public init(backends: [GemmBackend], layout: String, machine: BenchMachine, peakGflops: Double?) {
        self.backends = backends
        self.layout = layout
        self.machine = machine
        self.peakGflops = peakGflops
    }

    public var header: String {
        var lines = ["GEMM \(layout), one thread, GFLOP/s (median of windows)", machine.line]
        if let peakGflops {
            lines.append(
                String(format: "FMA peak of the %@ kernels' width: %.1f GFLOP/s", machine.instructionSet, peakGflops))
        }
        var columns = "shape (MxKxN)    what                            "
        for backend in backends { columns += pad(backend.description, 12) }
        if peakGflops != nil { columns += "of peak  " }
        if hasRatio { columns += "ratio" }
        lines.append(columns)
        return lines.joined(separator: "\n")
    }

    public func line(for row: GemmBenchmark.Row) -> String {
        var text = pad(row.shape.description, 17) + pad(row.shape.label, 32)
        for value in row.gflops { text += pad(String(format: "%.1f", value), 12) }
        if let share = shareOfPeak(row) { text += pad(String(format: "%.1f %%", 100 * share), 9) }
        if hasRatio { text += String(format: "%.3f", row.gflops[0] / row.gflops[1]) }
        return text
    }

    /// The native kernel's rate as a share of the FMA peak (the native backend comes first).
    private func shareOfPeak(_ row: GemmBenchmark.Row) -> Double? {
        guard let peakGflops, peakGflops > 0, let rate = row.gflops.first else { return nil }
        return rate / peakGflops
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    struct Document: Encodable {
        struct Result: Encodable {
            let shape: String
            let m, k, n: Int
            let label: String
            let gflops: [String: Double]
            let shareOfPeak: Double?
            let ratio: Double?
        }
        let benchmark = "gemm"
        let threads = 1
        let layout: String
        let machine: BenchMachine
        let backends: [String]
        let peakGflops: Double?
        let results: [Result]
    }

    public func json(_ rows: [GemmBenchmark.Row]) throws -> String {
        let names = backends.map(\.description)
        let document = Document(
            layout: layout, machine: machine, backends: names, peakGflops: peakGflops,
            results: rows.map { row in
                Document.Result(
                    shape: row.shape.description, m: row.shape.m, k: row.shape.k, n: row.shape.n,
                    label: row.shape.label,
                    gflops: Dictionary(uniqueKeysWithValues: zip(names, row.gflops)),
                    shareOfPeak: shareOfPeak(row),
                    ratio: hasRatio ? row.gflops[0] / row.gflops[1] : nil)
            })
        return try JSONOutput.text(document)
    }
}
