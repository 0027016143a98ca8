import Foundation

/// Kaiming-normal initialization (He et al. 2015), fan-in mode: W ~ N(0, gain²/fan_in),
/// biases zero, normalisation gains one. The full initializer family comes with its own
/// issue; this is the baseline the reference runs use.
public enum KaimingNormal {
    /// `gain` √2 suits ReLU.
    public static func apply(to store: ParameterStore, gain: Double = 2.0.squareRoot(), using generator: inout SeededRandom) {
        for view in store.views {
            let pointer = store.value(view)
            switch view.role {
            case .weight, .embedding:
                let fanIn = view.shape.dropFirst().reduce(1, *)
                let std = gain / Double(max(fanIn, 1)).squareRoot()
                var layerGenerator = generator.split()
                for i in 0..<view.count { pointer[i] = Float(layerGenerator.normal(standardDeviation: std)) }
            case .bias, .normBias:
                pointer.update(repeating: 0, count: view.count)
            case .normGain:
                pointer.update(repeating: 1, count: view.count)
            }
        }
    }
}
