import Foundation

/// The text table of one initializer's measurement.
extension InitMeasurement.Result {
    /// The result as `measure` prints it: a headline, the cost, one line per layer.
    public var table: String {
        let result = self
        let m = result.measurement
        var lines = [
            String(
                format:
                    "%@: step-0 loss %.4f (ln C = %.4f)   log10 E %@   log10 E′ %@   log10 E/params %@   (%d parameters, τ %g, %@)",
                result.initializer, result.loss, result.logClasses, Self.number(m.log10E), Self.number(m.log10CompleteE),
                Self.number(m.log10Relative), m.parameters, m.tau, m.criterion.rawValue)
        ]
        if result.probeForwards > 0 || result.gradientEvaluations > 0 {
            lines.append(
                String(
                    format: "  cost: %d probe passes, %d gradient evaluations, %.2f s",
                    result.probeForwards, result.gradientEvaluations, result.seconds))
        }
        lines.append(
            "  layer            shape          scale   log10 E_l  active  weight rms  act mean   act std  grad norm  log10 Δ/W   dead  sat"
        )
        for layer in m.layers {
            lines.append(
                "  "
                    + [
                        Self.pad(layer.name, 16), Self.pad(layer.shape.map(String.init).joined(separator: "×"), 14),
                        Self.pad(layer.scale.map { String(format: "%.4f", $0) } ?? "—", 7, right: true),
                        Self.pad(Self.number(layer.log10E), 10, right: true),
                        Self.pad(String(format: "%.3f", layer.activeFraction), 7, right: true),
                        Self.pad(String(format: "%.4f", layer.weightRMS), 11, right: true),
                        Self.pad(String(format: "%.4f", layer.activationMean), 9, right: true),
                        Self.pad(String(format: "%.4f", layer.activationStd), 9, right: true),
                        Self.pad(String(format: "%.4f", layer.gradientNorm), 10, right: true),
                        Self.pad(layer.log10UpdateRatio.map { String(format: "%.2f", $0) } ?? "—", 10, right: true),
                        Self.pad(String(format: "%.3f", layer.deadFraction), 6, right: true),
                        Self.pad(layer.saturatedFraction.map { String(format: "%.3f", $0) } ?? "—", 5, right: true),
                    ].joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double) -> String { value == -.infinity ? "−∞ (0)" : String(format: "%.2f", value) }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(width - text.count, 0))
        return right ? padding + text : text + padding
    }
}
