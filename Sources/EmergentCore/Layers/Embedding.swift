import Foundation

/// Token embeddings: row `token` of a [vocabulary, width] table per input position.
public final class Embedding {
    public let table: ParameterStore.View
    public let vocabulary: Int
    public let width: Int
    private unowned let store: ParameterStore
    private var tokens: [Int32] = []

    public init(_ name: String, vocabulary: Int, width: Int, store: ParameterStore) {
        self.vocabulary = vocabulary
        self.width = width
        self.store = store
        table = store.register(name + ".weight", shape: [vocabulary, width], role: .embedding)
    }

    /// [tokens.count, width].
    public func forward(_ tokens: [Int32]) -> Tensor {
        self.tokens = tokens
        var output = Tensor(uninitialized: [tokens.count, width])
        let rows = store.value(table)
        output.scalars.withUnsafeMutableBufferPointer { y in
            for (index, token) in tokens.enumerated() {
                precondition(token >= 0 && Int(token) < vocabulary, "token \(token) outside 0..<\(vocabulary)")
                (y.baseAddress! + index * width).update(from: rows + Int(token) * width, count: width)
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) {
        let gradient = store.gradient(table)
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            for (index, token) in tokens.enumerated() {
                let row = gradient + Int(token) * width
                for f in 0..<width { row[f] += dy[index * width + f] }
            }
        }
    }
}

/// Positions added to [batch·length, width] activations: fixed sinusoids (Vaswani et al.)
/// or a learned table.
public final class PositionalEncoding {
    public enum Kind: String, Sendable, Codable { case sinusoidal, learned }

    public let kind: Kind
    public let maximumLength: Int
    public let width: Int
    public let table: ParameterStore.View?
    private let sinusoids: [Float]
    private unowned let store: ParameterStore
    private var length = 0

    public init(_ name: String, kind: Kind, maximumLength: Int, width: Int, store: ParameterStore) {
        self.kind = kind
        self.maximumLength = maximumLength
        self.width = width
        self.store = store
        table =
            kind == .learned ? store.register(name + ".weight", shape: [maximumLength, width], role: .embedding) : nil
        var values = [Float](repeating: 0, count: maximumLength * width)
        for position in 0..<maximumLength {
            for i in stride(from: 0, to: width, by: 2) {
                let angle = Double(position) / pow(10_000, Double(i) / Double(width))
                values[position * width + i] = Float(sin(angle))
                if i + 1 < width { values[position * width + i + 1] = Float(cos(angle)) }
            }
        }
        sinusoids = values
    }

    /// Adds position t's vector to row (b, t) of `input` ([batch·length, width]).
    public func forward(_ input: Tensor, length: Int) -> Tensor {
        precondition(length <= maximumLength, "sequence length \(length) exceeds the maximum \(maximumLength)")
        self.length = length
        var output = input
        let source: UnsafePointer<Float>? = table.map { UnsafePointer(store.value($0)) }
        output.scalars.withUnsafeMutableBufferPointer { y in
            sinusoids.withUnsafeBufferPointer { fixed in
                let positions = source ?? fixed.baseAddress!
                for row in 0..<(y.count / width) {
                    let t = row % length
                    for f in 0..<width { y[row * width + f] += positions[t * width + f] }
                }
            }
        }
        return output
    }

    /// Accumulates the learned table's gradient; the input gradient is the output gradient.
    public func backward(_ outputGradient: Tensor) {
        guard let table else { return }
        let gradient = store.gradient(table)
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            for row in 0..<(dy.count / width) {
                let t = row % length
                for f in 0..<width { gradient[t * width + f] += dy[row * width + f] }
            }
        }
    }
}
