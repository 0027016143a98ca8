import Benchmarks
import EmergentCore
import Foundation
import Kernels

/// Text and JSON renderings of `emergent bench gemm`.
struct GemmBenchReport {
    let backends: [GemmBackend]
    /// NN, NT, TN or TT.
    let layout: String
    let openBLAS: OpenBLAS?

    private var hasRatio: Bool { backends.count == 2 }

    var header: String {
        var lines = ["GEMM \(layout), one thread, GFLOP/s (median of windows)"]
        if let openBLAS {
            lines.append("OpenBLAS: \(openBLAS.path), core \(openBLAS.coreName)")
        }
        var columns = "shape (MxKxN)    what                            "
        for backend in backends { columns += pad(backend.description, 12) }
        if hasRatio { columns += "ratio" }
        lines.append(columns)
        return lines.joined(separator: "\n")
    }

    func line(for row: GemmBenchmark.Row) -> String {
        var text = pad(row.shape.description, 17) + pad(row.shape.label, 32)
        for value in row.gflops { text += pad(String(format: "%.1f", value), 12) }
        if hasRatio { text += String(format: "%.3f", row.gflops[0] / row.gflops[1]) }
        return text
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
            let ratio: Double?
        }
        let benchmark = "gemm"
        let threads = 1
        let layout: String
        let backends: [String]
        let openblasCore: String?
        let results: [Result]
    }

    func json(_ rows: [GemmBenchmark.Row]) throws -> String {
        let names = backends.map(\.description)
        let document = Document(
            layout: layout, backends: names, openblasCore: openBLAS?.coreName,
            results: rows.map { row in
                Document.Result(
                    shape: row.shape.description, m: row.shape.m, k: row.shape.k, n: row.shape.n,
                    label: row.shape.label,
                    gflops: Dictionary(uniqueKeysWithValues: zip(names, row.gflops)),
                    ratio: hasRatio ? row.gflops[0] / row.gflops[1] : nil)
            })
        return try JSONOutput.text(document)
    }
}
