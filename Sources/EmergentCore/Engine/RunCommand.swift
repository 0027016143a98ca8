/// What a user can ask of a run while it exists; each takes effect between slices and is
/// logged as an event at the run's step.
public enum RunCommand: Sendable, Equatable {
    case pause
    case resume
    /// Back to step 0 with the same configuration and seed.
    case restart
    /// Stops for good (the curves stay).
    case cancel
    /// A live learning rate, momentum, weight decay or τ.
    case set(ParameterChange.Parameter, Double)
    /// A new length in epochs: longer lets a finished run train on, shorter ends it sooner.
    case setEpochs(Int)
    /// A checkpoint at the next step boundary, inside an epoch if need be (a time limit's
    /// warning, a periodic save); the run trains on.
    case checkpoint

    /// The lengths a run may be given.
    public static let epochRange = 1...100_000
}

/// A refused command, with the reason in words.
public struct RunCommandError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}
