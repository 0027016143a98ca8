/// Builds each block's dropout from one generator derived from the model's seed.
final class DropoutFactory {
    private var generator: SeededRandom
    let rate: Float
    init(rate: Float, seed: UInt64) {
        self.rate = rate
        generator = SeededRandom(seed: seed)
    }
    func make() -> Dropout { Dropout(rate: rate, generator: generator.split()) }
}
