/// Why a benchmark could not run, in the user's words.
public struct BenchmarkError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
