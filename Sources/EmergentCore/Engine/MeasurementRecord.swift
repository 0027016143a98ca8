/// One measurement of the probe: emergence and the per-layer table.
public struct MeasurementRecord: Sendable, Equatable, Codable {
    public let step: Int
    public let log10E: Double
    public let log10CompleteE: Double
    public let log10Relative: Double
    public let layers: [LayerMeasurement]
    public let wallTime: Double

    public init(
        step: Int, log10E: Double, log10CompleteE: Double, log10Relative: Double, layers: [LayerMeasurement],
        wallTime: Double
    ) {
        self.step = step
        self.log10E = log10E
        self.log10CompleteE = log10CompleteE
        self.log10Relative = log10Relative
        self.layers = layers
        self.wallTime = wallTime
    }
}
