/// A value a user typed, as an error message repeats it: whole when short, else its start
/// and its length, so a megabyte pasted by mistake does not flood the terminal.
public enum EchoedValue {
    public static let limit = 60

    public static func clipped(_ text: String, limit: Int = limit) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "… (\(text.count) characters)"
    }
}
