import Foundation

/// The `model` object of an experiment file for an MLP or the reference CNN, from the flags
/// that `train` and `measure` share, so a model given by flags is described, checked and
/// built as a file's would be.
public struct ClassifierModelDocument: Sendable {
    /// MLP hidden widths as typed (`64,64`); nil: the command's default.
    public var widths: String?
    public var activation: String?
    public var batchNorm: Bool
    public var residual: Bool

    public init(widths: String?, activation: String?, batchNorm: Bool, residual: Bool) {
        self.widths = widths
        self.activation = activation
        self.batchNorm = batchNorm
        self.residual = residual
    }

    /// A comma-separated list of layer widths as `--widths` takes it: every item a whole
    /// number in 1...65536, none empty.
    public static func parseWidths(_ text: String, flag: String = "--widths") throws(UserError) -> [Int] {
        var widths: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let width = Int(trimmed), (1...65536).contains(width) else {
                throw UserError(
                    "\(flag): '\(trimmed)' is not a width; each must be a whole number in 1...65536, like 256,256")
            }
            widths.append(width)
        }
        return widths
    }

    /// The object for an `mlp` (hidden widths `defaultWidths` unless given) or the `cnn`.
    public func json(kind: String, defaultWidths: [Int]) throws(UserError) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("kind", .string(kind)), ("activation", .string(activation ?? "relu")), ("batch_norm", .bool(batchNorm)),
            ("residual", .bool(residual)),
        ]
        if kind == "mlp" {
            let hidden = try widths.map { text throws(UserError) in try Self.parseWidths(text) } ?? defaultWidths
            members.append(("widths", .array(hidden.map { .number(Double($0)) })))
        } else {
            if widths != nil {
                throw UserError("--widths is an MLP option; the CNN takes --activation, --batch-norm and --residual")
            }
            if residual {
                members.append(("stages", .array([[32, 32], [64, 64]].map { .array($0.map { .number(Double($0)) }) })))
            }
        }
        return .object(members)
    }
}
