import Foundation
import Benchmarks
import Kernels
import Testing

@Suite("emergent bench gemm, run as a process")
struct BenchCommandTests {
    @Test(
        "bad arguments give one line on standard error and a non-zero exit",
        arguments: [
            (["frobnicate"], "frobnicate"),
            (["bench", "frobnicate"], "frobnicate"),
            (["bench", "gemm", "--shape", "128x-5x10"], "1...65536"),
            (["bench", "gemm", "--shape", "0"], "1...65536"),
            (["bench", "gemm", "--shape", "12x34"], "MxKxN"),
            (["bench", "gemm", "--backend", "fast"], "'native'"),
            (["bench", "gemm", "--kernel", "avx9000"], "portable"),
            (["bench", "gemm", "--windows", "0"], "1...100"),
            (["bench", "gemm", "--window-seconds=-1"], "0.001...60"),
            (["bench", "gemm", "--windows=-3"], "1...100"),
            (["bench", "gemm", "--transpose", "XY"], "'NT'"),
            (["bench", "peak", "--kernel", "avx9000"], "choose one of: avx512, avx2, portable"),
            (["bench", "train", "--kernel", "sse"], "choose one of: avx512, avx2, portable"),
            (["bench", "peak", "--windows", "0"], "1...100"),
            (["bench", "train", "--threads", "0"], "--threads 0 is out of range; it must be in 1...64"),
            (
                ["bench", "train", "--compare", "--reference-script", "/nonexistent/ref.py"],
                "/nonexistent/ref.py not found"
            ),
            (["bench", "dashboard", "--frames", "5"], "10...10000"),
            (["bench", "dashboard", "--keys", "0"], "10...10000"),
            (["bench", "dashboard", "nosuch"], "nosuch"),
        ])
    func badArguments(arguments: [String], expected: String) throws {
        let result = try EmergentProcess.run(arguments)
        #expect(result.status != 0)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.standardError)")
        #expect(result.standardError.hasPrefix("emergent: "))
        #expect(result.standardError.contains(expected), "stderr: \(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test("--json reports every requested shape with a positive rate")
    func json() throws {
        let result = try EmergentProcess.run([
            "bench", "gemm", "--backend", "native", "--shape", "96x64x48", "--shape", "33x17x5",
            "--windows", "1", "--window-seconds", "0.01", "--json", "--transpose", "TN",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        struct Document: Decodable {
            struct Result: Decodable {
                let shape: String
                let gflops, gflops_low, gflops_high: [String: Double]
                let share_of_peak, share_of_peak_low, share_of_peak_high: Double?
            }
            struct Machine: Decodable { let cpu: String, instruction_set: String }
            let layout: String
            let machine: Machine
            let peak_gflops: Double?
            let peak_windows: [Double]
            let results: [Result]
        }
        let document = try JSONDecoder().decode(Document.self, from: Data(result.standardOutput.utf8))
        #expect(document.layout == "TN")
        #expect(document.results.map(\.shape) == ["96x64x48", "33x17x5"])
        let key = "native-\(InstructionSet.detected)"
        #expect(document.results.allSatisfy { ($0.gflops[key] ?? 0) > 0 })
        #expect(document.machine.cpu == CPUInfo.current.modelName)
        #expect(document.machine.instruction_set == InstructionSet.detected.rawValue)
        // A peak window before a shape's first round and one after each round: two a shape here.
        #expect(document.peak_windows.count == 4 && document.peak_windows.allSatisfy { $0 > 0 })
        #expect(try #require(document.peak_gflops) == GemmBenchmark.median(document.peak_windows))
        for (index, row) in document.results.enumerated() {
            let rate = try #require(row.gflops[key]), low = try #require(row.gflops_low[key]), high = try #require(row.gflops_high[key])
            #expect(low <= rate && rate <= high)
            // One round: the share is that window's rate over the higher peak window beside it.
            let share = try #require(row.share_of_peak)
            let beside = max(document.peak_windows[2 * index], document.peak_windows[2 * index + 1])
            #expect(row.share_of_peak_low == share && row.share_of_peak_high == share)
            #expect(abs(share - rate / beside) < 1e-9, "the share of \(row.shape) is its rate over the peak beside it")
        }
    }

    @Test("bench peak --json: every kernel family this CPU runs, its lanes, and a positive rate; --kernel picks one")
    func peak() throws {
        let all = try EmergentProcess.run(["bench", "peak", "--windows", "1", "--window-seconds", "0.01", "--json"])
        #expect(all.status == 0, "stderr: \(all.standardError)")
        struct Document: Decodable {
            struct Result: Decodable { let kernel: String, lanes: Int, chains: Int, gflops, gflops_low, gflops_high: Double }
            struct Machine: Decodable { let cpu: String }
            let machine: Machine
            let results: [Result]
        }
        let document = try JSONDecoder().decode(Document.self, from: Data(all.standardOutput.utf8))
        #expect(document.results.map(\.kernel) == InstructionSet.supported.map(\.rawValue))
        let lanes = ["avx512": 16, "avx2": 8, "portable": 4]
        #expect(document.results.allSatisfy { $0.lanes == lanes[$0.kernel] && $0.chains == 12 && $0.gflops > 0 })
        #expect(document.results.allSatisfy { $0.gflops_low == $0.gflops && $0.gflops_high == $0.gflops }, "one window: no range")
        #expect(document.machine.cpu == CPUInfo.current.modelName)
        let one = try EmergentProcess.run([
            "bench", "peak", "--kernel", "portable", "--windows", "1", "--window-seconds", "0.01",
        ])
        #expect(one.status == 0, "stderr: \(one.standardError)")
        let rows = one.standardOutput.split(separator: "\n")
        #expect(rows.first == "FMA peak, one thread, GFLOP/s (median of 1 windows ±half their range)")
        #expect(rows.count == 4 && rows[3].hasPrefix("portable    4      12"), "\(one.standardOutput)")
    }

    @Test("the table has a header, one row per shape, and the peak it was measured against")
    func table() throws {
        let result = try EmergentProcess.run([
            "bench", "gemm", "--backend", "native", "--shape", "64", "--windows", "1", "--window-seconds", "0.01",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.first?.contains("GEMM NN, one thread") == true)
        #expect(lines.dropLast().last?.hasPrefix("64x64x64") == true)
        #expect(lines.last?.hasPrefix("FMA peak of the \(InstructionSet.detected.rawValue) kernels' width between the products: ") == true)
        #expect(lines.last?.hasSuffix(", 2 windows)") == true, "a peak window before the round and one after")
    }

    @Test("--backend openblas runs OpenBLAS when installed, and otherwise says how to install it")
    func openBLASBackend() throws {
        let result = try EmergentProcess.run([
            "bench", "gemm", "--backend", "openblas", "--shape", "64", "--windows", "1", "--window-seconds", "0.01",
        ])
        if OpenBLAS.shared != nil {
            #expect(result.status == 0)
            #expect(result.standardOutput.contains("OpenBLAS core: \(OpenBLAS.shared!.coreName)"))
        } else {
            #expect(result.status != 0)
            #expect(result.standardError.contains("apt-get install libopenblas0-pthread"))
        }
    }

    @Test("bench dashboard --json gives the frame and key-to-screen quantiles, each ordered and positive")
    func dashboard() throws {
        let result = try EmergentProcess.run([
            "bench", "dashboard", "--frames", "10", "--keys", "10", "--json", "--", "default",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        struct Document: Decodable {
            let width: Int, height: Int, runs: Int, frames: Int, keys: Int
            let frame_ms_median: Double, frame_ms_p99: Double
            let key_to_screen_ms_median: Double, key_to_screen_ms_p99: Double
            struct Machine: Decodable { let cpu: String, instruction_set: String }
            let machine: Machine
        }
        let document = try JSONDecoder().decode(Document.self, from: Data(result.standardOutput.utf8))
        #expect(document.machine.cpu == CPUInfo.current.modelName)
        #expect(document.machine.instruction_set == InstructionSet.detected.rawValue)
        #expect(document.width == 200 && document.height == 60 && document.runs == 6)
        #expect(document.frames == 10 && document.keys == 10)
        #expect(document.frame_ms_median > 0 && document.frame_ms_median <= document.frame_ms_p99)
        #expect(
            document.key_to_screen_ms_median > 0 && document.key_to_screen_ms_median <= document.key_to_screen_ms_p99)
    }
}
