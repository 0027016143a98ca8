/// When and how the probe is measured.
public struct MeasurementConfig: Sendable, Hashable {
    /// Steps between measurements (besides step 0 and each epoch end).
    public var every: Int
    public var emergence: EmergenceSettings

    static func read(_ reader: inout ConfigReader) throws(ExperimentError) -> MeasurementConfig {
        let every = try reader.integer("every", 1...1_000_000, default: 50)
        let tau = try reader.number("tau", LiveSetting.tau.range, default: EmergenceSettings.defaultTau)
        let criterion = try reader.choice(
            "criterion", EmergenceSettings.Criterion.allCases.map(\.rawValue), default: "activation")
        return MeasurementConfig(
            every: every, emergence: try! EmergenceSettings(tau: tau, criterion: .init(rawValue: criterion)!))
    }
}
