import Foundation
import Testing

@testable import EmergentCore

@Suite("emergent sweep, run as a process")
struct SweepCommandTests {
    @Test("a 2×2 sweep of α and lr on the control preset: heatmap on stdout, sweep.csv, run folders with the controls")
    func sweep() throws {
        let root = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-sweep-\(UUID().uuidString)")
        let result = try EmergentProcess.run([
            "sweep", "control", "--grid", "alpha=1.1:1.3:0.2", "--grid", "lr=0.02,0.05", "--epochs", "1",
            "--epoch-size",
            "512", "--set", "eval_size=200", "--set", "model.widths=[64,64]", "--runs-dir", root,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "test/acc@final in %, mean over 1 seed; * best, div diverged")
        #expect(lines[1].contains("lr=0.02") && lines[1].contains("lr=0.05"))
        #expect(lines[2].hasPrefix("alpha=1.1") && lines[3].hasPrefix("alpha=1.3"))
        #expect(lines.dropFirst().filter { $0.contains("*") }.count == 1, "one best cell")
        #expect(lines.last?.hasPrefix("best: alpha=") == true)
        let experiment = try #require(
            try FileManager.default.contentsOfDirectory(atPath: root).first { $0.hasPrefix("control-") })
        let csv = try String(contentsOfFile: "\(root)/\(experiment)/sweep.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "alpha,lr,seeds,test/acc@final mean,std,diverged_at" && csv.count == 5)
        let folders = try RunFolderReader.runFolderPaths(at: "\(root)/\(experiment)")
        #expect(folders.count == 8, "each cell's run and its control")
        #expect(try RunFolder(path: folders[6]).runConfig().initializer.options["alpha"] == "1.3")
    }

    @Test("a metric at epoch 1 stops every run after epoch 1, and says so")
    func decidedMetric() throws {
        let root = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-sweep-\(UUID().uuidString)")
        let result = try EmergentProcess.run([
            "sweep", "default", "--grid", "init=kaiming,xavier", "--metric", "test/acc@epoch1", "--epochs", "50",
            "--epoch-size", "256", "--set", "eval_size=100", "--set", "model.widths=[32]", "--runs-dir", root,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("--metric test/acc@epoch1 is decided after epoch 1: every run trains 1 epoch"))
        #expect(result.standardOutput.hasPrefix("test/acc@epoch1 in %"), "\(result.standardOutput)")
        let experiment = try #require(
            try FileManager.default.contentsOfDirectory(atPath: root).first { $0.hasPrefix("default-") })
        let folders = try RunFolderReader.runFolderPaths(at: "\(root)/\(experiment)")
        #expect(folders.count == 2)
        for folder in folders {
            let run = try RunFolder(path: folder)
            #expect(try run.runConfig().settings.epochs == 1)
            #expect(run.events.filter { $0.kind == "epoch_ended" }.count == 1, "\(folder)")
        }
    }

    @Test(
        "bad sweeps and reports are one line: no grid, a bad key, a bad metric, more than 1000 cells without --yes, no terminal for --dashboard, an unknown claim",
        arguments: [
            (["sweep", "default"], "give at least one --grid"),
            (["sweep", "default", "--grid", "vibes=1,2"], "'vibes' is not a key to sweep"),
            (
                ["sweep", "default", "--grid", "lr=0.1,0.2", "--metric", "test/acc@worst"],
                "after @ comes final, best or epochN"
            ),
            (
                ["sweep", "default", "--grid", "lr=0.001:0.04:0.001", "--grid", "momentum=0:0.9:0.03"],
                "more than 1000 need --yes"
            ),
            (["sweep", "default", "--grid", "lr=0.1,-2"], "cell lr=-2"),
            (["sweep", "default", "--grid", "lr=0.1,0.2", "--dashboard"], "--dashboard needs a terminal"),
            (["sweep", "default", "--grid", "lr=0.1,0.2", "--dashboard", "--theme", "nosuch"], "no theme 'nosuch'"),
            (["report", "--claim", "bogus"], "--claim 'bogus' is not a claim; the claims are emergence, alpha-lr"),
            (["report", "--workers", "0"], "workers: 0 is out of range; it must be in 1...256"),
        ])
    func badSweeps(arguments: [String], expected: String) throws {
        try EmergentProcess.expectOneLineError(arguments, expected)
    }
}
