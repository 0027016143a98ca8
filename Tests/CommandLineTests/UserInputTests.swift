import Foundation
import Testing

/// Inputs that used to crash the program or were accepted silently: each is now one line on
/// stderr naming the flag or value and the valid range, with a failing exit status.
@Suite("User input that once crashed or passed silently")
struct UserInputTests {
    @Test(
        "each is a one-line error",
        arguments: [
            (["measure", "--model", "transformer", "--heads", "3"], "--width 128 must be divisible by --heads 3"),
            (["measure", "--widths", "65536,65536"], "half of this machine's memory"),
            (
                ["measure", "--model", "transformer", "--width", "4096", "--layers", "48", "--feed-forward", "16384"],
                "GiB"
            ),
            (["bench", "gemm", "--shape", "65536"], "needs 48.0 GiB for its three matrices"),
            (["measure", "--init", "nio:batch=4,subbatches=5"], "batch ≥ subbatches = 5"),
            (["measure", "--init", "emergence:beta=1e-300"], "0 (off) or a factor in 0.01...1000"),
            (["measure", "--init", "emergence:alpha=1.2,alpha=3"], "alpha appears twice"),
            (["measure", "--init", "fractional:lower=1,upper=0"], "no larger than upper = 0"),
            (["train", "--epochs", "2", "--epochs", "3"], "--epochs is given more than once"),
            (["measure", "--tau", "-1"], "τ = -1.0 is not valid"),
            (["measure", "--widths", "16,,16"], "'' is not a width"),
            (["measure", "--widths", ""], "'' is not a width"),
            (["measure", "--data-dir", "/nonexistent"], "--data-dir: '/nonexistent' is not a directory"),
            (["train", "--model", "cnn", "--widths", "8,8"], "--widths is an MLP option"),
            // Values a flag gave are blamed on the flag, not on the preset file.
            (["run", "--workers", "0"], "--workers: 0 is out of range; it must be in 1...256"),
            (["run", "--seeds", "101"], "--seeds: 101 is out of range; it must be in 1...100"),
            (["run", "--seed", "9007199254740993"], "--seed 9007199254740993 is out of range; it must be in 0...9007199254740992"),
            (["run", "--lr", "-1"], "--lr: -1 is out of range; it must be in 1e-09...100"),
            (["run", "--dataset", "nosuch"], "--dataset: 'nosuch' is not one of: fashion-mnist-small"),
            (["run", "--data-dir", "/nonexistent"], "--data-dir: '/nonexistent' is not a directory"),
            (["run", "--set", "optimizer.momentum=7"], "--set optimizer.momentum: 7 is out of range; it must be in 0...0.999"),
            (["run", "--set", "model.widths=[16,0]"], "--set model.widths"),
            (["run", "--set", #"changes=[{"step":5,"lr":1e400}]"#], "the value is not valid JSON (line 1, column 17: 1e400 is not a finite number)"),
            (["run", "--set", "name=" + String(repeating: "n", count: 5000)], "has 5000 bytes; at most 200"),
            (["run", "/dev/null"], "/dev/null: it is not a regular file"),
            (["run", "/tmp"], "/tmp: it is a folder, not a file"),
            (["dash", "--theme", "/tmp"], "/tmp: it is a folder, not a file"),
            (["run", "--no-run-folders", "--runs-dir", "x"], "--no-run-folders writes no folders, so --runs-dir has nothing to name"),
            (["sweep", "--grid", "lr=0.1", "--grid", "lr=0.2"], "--grid lr is given twice"),
            (["sweep", "--grid", "alpha=1:2:1e-300"], "1e+300 values; at most 1000 per axis"),
            (["run", "--set", "model.widths=[8000,8000,8000]", "--seeds", "3", "--no-run-folders"], "GiB is available"),
        ])
    func oneLineErrors(arguments: [String], expected: String) throws {
        try EmergentProcess.expectOneLineError(arguments, expected)
    }

    @Test("a tiny GEMM shape is timed but not judged against the compiled-kernels guard")
    func tinyShapeNotJudged() throws {
        let result = try EmergentProcess.run([
            "bench", "gemm", "--shape", "1", "--windows", "1", "--window-seconds", "0.01", "--backend", "native",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(!result.standardError.contains("target-cpu"))
    }

    @Test("images too small for the CNN's pooling are refused before training, naming the sizes")
    func tinyImagesForCNN() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emergent-tiny-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func idx(_ dimensions: [UInt32], _ payload: [UInt8]) -> Data {
            var bytes: [UInt8] = [0, 0, 8, UInt8(dimensions.count)]
            for dimension in dimensions { bytes += withUnsafeBytes(of: dimension.bigEndian, Array.init) }
            return Data(bytes + payload)
        }
        for prefix in ["train", "t10k"] {
            try idx([20, 2, 2], Array(repeating: 7, count: 80)).write(
                to: directory.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
            try idx([20], (0..<20).map { UInt8($0 % 10) }).write(
                to: directory.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
        }
        for arguments in [["train", "--model", "cnn"], ["measure", "--model", "cnn", "--probe-size", "8"]] {
            let result = try EmergentProcess.run(arguments + ["--dataset", "mnist", "--data-dir", directory.path])
            #expect(result.status != 0)
            #expect(
                result.standardError.contains("images must be at least 4×4; 'mnist' has 2×2"),
                "stderr: \(result.standardError)")
        }
    }
}
