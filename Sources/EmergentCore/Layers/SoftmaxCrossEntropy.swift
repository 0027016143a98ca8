import Foundation

/// Softmax and cross-entropy fused: the gradient with respect to the logits is simply
/// (softmax − target distribution) / counted rows, with no Jacobian of the softmax formed.
/// Label smoothing ε mixes the one-hot target with the uniform distribution as PyTorch
/// does; rows whose target is `ignoreIndex` (padding tokens) count for nothing.
public struct SoftmaxCrossEntropy: Sendable {
    public var labelSmoothing: Float
    public var ignoreIndex: Int?

    public init(labelSmoothing: Float = 0, ignoreIndex: Int? = nil) {
        precondition(
            labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1), got \(labelSmoothing)")
        self.labelSmoothing = labelSmoothing
        self.ignoreIndex = ignoreIndex
    }

    public struct Result {
        /// Mean loss over counted rows (0 when none counts).
        public let loss: Double
        /// d loss / d logits, same shape as the logits.
        public let gradient: Tensor
        /// Rows whose largest logit is the target, and rows counted.
        public let correct: Int
        public let counted: Int
    }

    public func callAsFunction(logits: Tensor, targets: [Int]) -> Result {
        precondition(
            logits.rank == 2 && logits.shape[0] == targets.count, "logits \(logits.shape) for \(targets.count) targets")
        let rows = logits.shape[0], classes = logits.shape[1]
        let counted = targets.filter { $0 != ignoreIndex }.count
        var gradient = Tensor(uninitialized: logits.shape)
        var totalLoss = 0.0
        var correct = 0
        let smoothing = Double(labelSmoothing)
        let scale = counted > 0 ? 1 / Float(counted) : 0
        logits.scalars.withUnsafeBufferPointer { z in
            gradient.scalars.withUnsafeMutableBufferPointer { g in
                for row in 0..<rows {
                    let base = row * classes
                    let target = targets[row]
                    if target == ignoreIndex {
                        for c in 0..<classes { g[base + c] = 0 }
                        continue
                    }
                    precondition(target >= 0 && target < classes, "target \(target) outside 0..<\(classes)")
                    var maximum = z[base], best = 0
                    for c in 1..<classes where z[base + c] > maximum { maximum = z[base + c]; best = c }
                    if best == target { correct += 1 }
                    var sum = 0.0
                    for c in 0..<classes { sum += exp(Double(z[base + c] - maximum)) }
                    let logSum = log(sum)
                    var rowLoss = 0.0
                    for c in 0..<classes {
                        let logProbability = Double(z[base + c] - maximum) - logSum
                        let q = (c == target ? 1 - smoothing : 0) + smoothing / Double(classes)
                        rowLoss -= q * logProbability
                        g[base + c] = Float(exp(logProbability) - q) * scale
                    }
                    totalLoss += rowLoss
                }
            }
        }
        return Result(
            loss: counted > 0 ? totalLoss / Double(counted) : 0, gradient: gradient, correct: correct, counted: counted)
    }
}
