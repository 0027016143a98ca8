import Foundation
import Testing

@Suite("emergent measure, run as a process")
struct MeasureCommandTests {
    struct Result: Decodable {
        struct Measurement: Decodable {
            struct Layer: Decodable { let name: String; let scale: Double?; let activeFraction: Double }
            let layers: [Layer]
            let parameters: Int
        }
        let initializer: String
        let loss: Double
        let logClasses: Double
        let probeForwards: Int
        let gradientEvaluations: Int
        let seconds: Double
        let measurement: Measurement
    }

    static func run(_ arguments: [String]) throws -> [Result] {
        let result = try EmergentProcess.run(["measure", "--json"] + arguments)
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode([Result].self, from: Data(result.standardOutput.utf8))
    }

    @Test("MLP: one result per initializer, layers in order, emergence scales α^idx")
    func mlp() throws {
        let results = try Self.run([
            "--widths", "32,32,32", "--init", "kaiming", "--init", "xavier",
            "--init", "emergence:alpha=1.5", "--probe-size", "64",
        ])
        #expect(results.map(\.initializer) == ["kaiming", "xavier", "emergence:alpha=1.5"])
        #expect(results[0].measurement.layers.map(\.name) == ["dense1", "dense2", "dense3", "dense4"])
        let scales = results[2].measurement.layers.compactMap(\.scale)
        #expect(zip(scales, [-2.0, -1, 1, 2]).allSatisfy { abs($0 - pow(1.5, $1)) < 1e-9 })
        #expect(abs(results[0].logClasses - log(10)) < 1e-9)
    }

    @Test("CNN and transformer measure too")
    func otherModels() throws {
        let cnn = try Self.run(["--model", "cnn", "--probe-size", "16", "--init", "kaiming"])
        #expect(cnn[0].measurement.layers.map(\.name) == ["conv1", "conv2", "fc1", "fc2"])
        let transformer = try Self.run([
            "--model", "transformer", "--width", "16", "--heads", "2", "--layers", "1",
            "--feed-forward", "32", "--probe-size", "16", "--init", "xavier",
        ])
        #expect(
            transformer[0].measurement.layers.map(\.name) == ["enc1.ffn", "enc1.out", "dec1.ffn", "dec1.out", "head"])
        // Learned schemes search the transformer on sentence pairs (MetaInit on random tokens).
        let learned = try Self.run([
            "--model", "transformer", "--width", "16", "--heads", "2", "--layers", "1", "--feed-forward", "32",
            "--probe-size", "16", "--init", "gradinit:iterations=3,batch=8,target=adam",
            "--init", "nio:iterations=2,batch=8", "--init", "metainit:iterations=1,batch=4",
        ])
        #expect(learned.count == 3)
        for result in learned {
            #expect(result.measurement.layers.contains { $0.scale != nil && $0.scale != 1 }, "\(result.initializer)")
            #expect(
                result.gradientEvaluations > 0 && result.seconds > 0 && result.probeForwards == 0,
                "\(result.initializer)")
        }
    }

    @Test("the table names every layer and the totals")
    func table() throws {
        let result = try EmergentProcess.run(["measure", "--widths", "16,16", "--probe-size", "32"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("kaiming: step-0 loss"))
        #expect(result.standardOutput.contains("emergence:alpha=1.2: step-0 loss"))
        #expect(result.standardOutput.contains("log10 E"))
        #expect(result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("  dense") }.count == 6)
        // Closed-form schemes cost nothing worth a line; data-driven ones say what they used.
        #expect(!result.standardOutput.contains("  cost:"))
        let lsuv = try EmergentProcess.run(["measure", "--widths", "16,16", "--probe-size", "32", "--init", "lsuv"])
        #expect(
            lsuv.standardOutput.contains("  cost: ")
                && lsuv.standardOutput.contains(" probe passes, 0 gradient evaluations, "))
    }

    @Test(
        "bad input: one line naming the valid range or choices",
        arguments: [
            (["measure", "--tau", "0"], "must be a finite number > 0"),
            (["measure", "--tau", "nan"], "must be a finite number > 0"),
            (["measure", "--tau=-1"], "must be a finite number > 0"),
            (["measure", "--probe-size", "0"], "needs at least 1 sample"),
            (["measure", "--probe-size", "20000"], "choose 1...10000"),
            (["measure", "--heads", "4"], "--heads is an option of the transformer only"),
            (
                ["measure", "--model", "transformer", "--batch-norm"],
                "--batch-norm is not an option of the transformer"
            ),
            (["measure", "--model", "cnn", "--widths", "3"], "--widths is an MLP option"),
            (["measure", "--init", "magic:power=9"], "unknown initializer 'magic'"),
            (["measure", "--init", "lsuv:iterations=0"], "a whole number in 1...100"),
            (["measure", "--model", "cnn", "--init", "tfixup"], "does not apply to the cnn"),
            (["measure", "--model", "transformer", "--init", "updater"], "reads classifier weight layers"),
            (["measure", "--init", "nio:indexing=diagonal"], "official, symmetric"),
            (["measure", "--init", "emergence:alpha=-1"], "0.01...100"),
            (["measure", "--criterion", "vibes"], "'activation'"),
            (["measure", "--model", "transformer", "--width", "10", "--heads", "4"], "divisible"),
        ])
    func badInput(arguments: [String], expected: String) throws {
        let result = try EmergentProcess.run(arguments)
        #expect(result.status != 0)
        #expect(result.standardError.split(separator: "\n").count == 1, "stderr: \(result.standardError)")
        #expect(result.standardError.contains(expected), "stderr: \(result.standardError)")
    }
}
