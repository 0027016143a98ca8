import EmergentCore
import Foundation
import Kernels

/// Text and JSON renderings of `emergent bench gemm`.
public struct GemmBenchReport {
    let backends: [GemmBackend]
    /// NN, NT, TN or TT.
    let layout: String
    let machine: BenchMachine
    /// Whether the FMA peak of the native kernels' width is measured between the products.
    let measuresPeak: Bool

    private var hasRatio: Bool { backends.count == 2 }

    public init(backends: [GemmBackend], layout: String, machine: BenchMachine, measuresPeak: Bool) {
        self.backends = backends
        self.layout = layout
        self.machine = machine
        self.measuresPeak = measuresPeak
    }

    public var header: String {
        var lines = ["GEMM \(layout), one thread, GFLOP/s: median of windows ±half their range", machine.line]
        if measuresPeak {
            lines.append(
                "of peak: each window's rate over the \(machine.instructionSet) FMA peak measured in the windows just "
                    + "before and after it (the higher), median ±half the range")
        }
        var columns = "shape (MxKxN)    what                            "
        for backend in backends { columns += pad(backend.description, 16) }
        if measuresPeak { columns += "of peak        " }
        if hasRatio { columns += "ratio" }
        lines.append(columns)
        return lines.joined(separator: "\n")
    }

    public func line(for row: GemmBenchmark.Row) -> String {
        var text = pad(row.shape.description, 17) + pad(row.shape.label, 32)
        for rate in row.rates { text += pad(rate.text(), 16) }
        if let share = row.shareOfPeak {
            text += pad(String(format: "%.1f %% ±%.1f", 100 * share.median, 50 * (share.high - share.low)), 15)
        }
        if hasRatio { text += String(format: "%.3f", row.gflops[0] / row.gflops[1]) }
        return text
    }

    /// The peak windows of every row: what the shares were taken against.
    public func peakLine(_ rows: [GemmBenchmark.Row]) -> String? {
        let windows = rows.flatMap(\.peakWindows)
        guard measuresPeak, !windows.isEmpty else { return nil }
        let peak = WindowSpread(windows)
        return "FMA peak of the \(machine.instructionSet) kernels' width between the products: "
            + String(format: "%.1f GFLOP/s (%.1f–%.1f, %d windows)", peak.median, peak.low, peak.high, windows.count)
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
            let gflopsLow: [String: Double]
            let gflopsHigh: [String: Double]
            let shareOfPeak: Double?
            let shareOfPeakLow: Double?
            let shareOfPeakHigh: Double?
            let ratio: Double?
        }
        let benchmark = "gemm"
        let threads = 1
        let layout: String
        let machine: BenchMachine
        let backends: [String]
        let peakGflops: Double?
        let peakWindows: [Double]
        let results: [Result]
    }

    public func json(_ rows: [GemmBenchmark.Row]) throws -> String {
        let names = backends.map(\.description)
        let peaks = rows.flatMap(\.peakWindows)
        let document = Document(
            layout: layout, machine: machine, backends: names,
            peakGflops: peaks.isEmpty ? nil : GemmBenchmark.median(peaks), peakWindows: peaks,
            results: rows.map { row in
                Document.Result(
                    shape: row.shape.description, m: row.shape.m, k: row.shape.k, n: row.shape.n,
                    label: row.shape.label,
                    gflops: Dictionary(uniqueKeysWithValues: zip(names, row.rates.map(\.median))),
                    gflopsLow: Dictionary(uniqueKeysWithValues: zip(names, row.rates.map(\.low))),
                    gflopsHigh: Dictionary(uniqueKeysWithValues: zip(names, row.rates.map(\.high))),
                    shareOfPeak: row.shareOfPeak?.median, shareOfPeakLow: row.shareOfPeak?.low,
                    shareOfPeakHigh: row.shareOfPeak?.high,
                    ratio: hasRatio ? row.gflops[0] / row.gflops[1] : nil)
            })
        return try JSONOutput.text(document)
    }
}
