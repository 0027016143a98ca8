/// Builds each block's dropout from one generator derived from the model's seed.
final class DropoutFactory {
    private var generator: SeededRandom
    let rate: Float
    /// Every dropout made, in order: the layers a checkpoint keeps the generators of.
    private(set) var made: [Dropout] = []
    init(rate: Float, seed: UInt64) {
        self.rate = rate
        generator = SeededRandom(seed: seed)
    }
    func make() -> Dropout {
        let dropout = Dropout(rate: rate, generator: generator.split())
        made.append(dropout)
        return dropout
    }
}
