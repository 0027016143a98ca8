/// A weights file that cannot be read or written, naming the file and, where there is one,
/// the tensor; the message says what was expected.
public struct WeightsError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
