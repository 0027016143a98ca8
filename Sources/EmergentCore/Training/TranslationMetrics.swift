import Foundation

/// Metrics for translation (product spec §3): position-wise token accuracy, exact-match
/// accuracy, and corpus BLEU-4 with the brevity penalty (Papineni et al. 2002) over
/// characters, since the models are character-level.
public enum TranslationMetrics {
    /// Fraction of reference positions where the hypothesis has the same token
    /// (a hypothesis shorter than its reference misses the rest).
    public static func tokenAccuracy(hypotheses: [[Int32]], references: [[Int32]]) -> Double {
        precondition(
            hypotheses.count == references.count, "\(hypotheses.count) hypotheses for \(references.count) references")
        var correct = 0, total = 0
        for (hypothesis, reference) in zip(hypotheses, references) {
            total += reference.count
            for (index, token) in reference.enumerated() where index < hypothesis.count && hypothesis[index] == token {
                correct += 1
            }
        }
        return total == 0 ? 0 : Double(correct) / Double(total)
    }

    public static func exactMatch(hypotheses: [[Int32]], references: [[Int32]]) -> Double {
        precondition(
            hypotheses.count == references.count, "\(hypotheses.count) hypotheses for \(references.count) references")
        guard !references.isEmpty else { return 0 }
        return Double(zip(hypotheses, references).filter { $0 == $1 }.count) / Double(references.count)
    }

    /// Corpus BLEU-4: the geometric mean of clipped n-gram precisions (n = 1…4, counts summed
    /// over the corpus before dividing) times the brevity penalty exp(1 − r/c) when the total
    /// hypothesis length c is below the total reference length r. 0 when any precision is 0.
    public static func bleu<Token: Hashable>(
        hypotheses: [[Token]], references: [[Token]], maximumOrder: Int = 4
    ) -> Double {
        precondition(
            hypotheses.count == references.count, "\(hypotheses.count) hypotheses for \(references.count) references")
        var matches = [Int](repeating: 0, count: maximumOrder)
        var possible = [Int](repeating: 0, count: maximumOrder)
        var hypothesisLength = 0, referenceLength = 0
        for (hypothesis, reference) in zip(hypotheses, references) {
            hypothesisLength += hypothesis.count
            referenceLength += reference.count
            for order in 1...maximumOrder {
                let hypothesisCounts = ngramCounts(hypothesis, order: order)
                let referenceCounts = ngramCounts(reference, order: order)
                for (gram, count) in hypothesisCounts { matches[order - 1] += min(count, referenceCounts[gram] ?? 0) }
                possible[order - 1] += max(hypothesis.count - order + 1, 0)
            }
        }
        guard hypothesisLength > 0, zip(matches, possible).allSatisfy({ $0 > 0 && $1 > 0 }) else { return 0 }
        let logPrecision =
            zip(matches, possible).map { log(Double($0) / Double($1)) }.reduce(0, +) / Double(maximumOrder)
        let brevity =
            hypothesisLength < referenceLength ? exp(1 - Double(referenceLength) / Double(hypothesisLength)) : 1
        return brevity * exp(logPrecision)
    }

    static func ngramCounts<Token: Hashable>(_ tokens: [Token], order: Int) -> [[Token]: Int] {
        var counts: [[Token]: Int] = [:]
        guard tokens.count >= order else { return counts }
        for start in 0...(tokens.count - order) { counts[Array(tokens[start..<(start + order)]), default: 0] += 1 }
        return counts
    }
}
