@testable import EmergentCore
import Testing

@Suite("Run state that forks and checkpoints copy: optimizer moments, running statistics, dropout masks")
struct RunStateTests {
    @Test(
        "an optimizer given another's state continues exactly as the other",
        arguments: [
            OptimizerKind.sgd(momentum: 0.9, nesterov: true), .adam(), .adamW(),
        ])
    func optimizerState(kind: OptimizerKind) {
        func store() -> (ParameterStore, ParameterStore.View) {
            let store = ParameterStore()
            let view = store.register("w.weight", shape: [3], role: .weight)
            store.set(view, to: Tensor(shape: [3], scalars: [1, -2, 0.5]))
            return (store, view)
        }
        let (a, viewA) = store(), (b, viewB) = store()
        let first = Optimizer(kind), second = Optimizer(kind)
        let gradients: [[Float]] = [[0.1, -0.3, 0.2], [0.5, 0.1, -0.2], [-0.4, 0.2, 0.3]]
        a.gradient(viewA).update(from: gradients[0], count: 3)
        first.step(a, learningRate: 0.1)
        second.state = first.state
        b.set(viewB, to: a.tensor(viewA))
        for g in gradients.dropFirst() {
            a.gradient(viewA).update(from: g, count: 3)
            b.gradient(viewB).update(from: g, count: 3)
            first.step(a, learningRate: 0.1)
            second.step(b, learningRate: 0.1)
        }
        #expect(a.tensor(viewA) == b.tensor(viewB))
        #expect(first.state == second.state && first.state.stepCount == 3)
    }

    @Test("running statistics restore, and a wrong length changes nothing")
    func batchNormStatistics() {
        let norm = BatchNorm("bn1", features: 2, store: ParameterStore())
        #expect(norm.restoreRunningStatistics(mean: [0.5, -1], variance: [2, 3]))
        #expect(norm.runningMean == [0.5, -1] && norm.runningVariance == [2, 3])
        #expect(!norm.restoreRunningStatistics(mean: [1], variance: [1, 1]))
        #expect(norm.runningMean == [0.5, -1])
    }

    @Test("a dropout layer given another's generator draws the same masks")
    func dropoutGenerator() {
        let first = Dropout(rate: 0.5, generator: SeededRandom(seed: 3))
        let input = Tensor(shape: [4, 8], scalars: (0..<32).map { Float($0) })
        _ = first.forward(input, mode: .training)
        let second = Dropout(rate: 0.5, generator: first.generator)
        #expect(first.forward(input, mode: .training) == second.forward(input, mode: .training))
    }
}
