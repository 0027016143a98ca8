/// Why something a user asked for could not be done (a session that cannot start, a flag
/// that does not fit the model, a report that cannot be written), in the user's words:
/// the message names the file, key or value and the valid range.
public struct UserError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
