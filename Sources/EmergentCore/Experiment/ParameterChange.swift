/// A live-changeable hyperparameter set at a step.
public struct ParameterChange: Sendable, Hashable, Codable {
    public typealias Parameter = LiveSetting
    public var step: Int
    public var parameter: Parameter
    public var value: Double

    public init(step: Int, parameter: Parameter, value: Double) {
        self.step = step
        self.parameter = parameter
        self.value = value
    }

    static func read(_ reader: inout ConfigReader) throws(ExperimentError) -> ParameterChange {
        let step = try reader.integer("step", 0...100_000_000, default: -1)
        guard step >= 0 else {
            throw .invalid(path: reader.keyPath("step"), message: "a change needs the step it happens at")
        }
        var found: [ParameterChange] = []
        for parameter in Parameter.allCases {
            if let value = try reader.optionalNumber(parameter.rawValue, parameter.range) {
                found.append(ParameterChange(step: step, parameter: parameter, value: value))
            }
        }
        guard found.count == 1 else {
            throw .invalid(
                path: reader.path,
                message: "a change sets exactly one of: \(Parameter.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return found[0]
    }
}
