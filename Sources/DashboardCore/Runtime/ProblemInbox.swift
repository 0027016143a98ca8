import Synchronization

/// Messages from other threads (run folder write failures) for the status line: posted by
/// the run folder writer's queue, taken by the dashboard each frame.
public final class ProblemInbox: Sendable {
    private let messages = Mutex<[String]>([])

    public init() {}

    public func post(_ message: String) { messages.withLock { $0.append(message) } }

    public func take() -> [String] {
        messages.withLock { messages in
            defer { messages = [] }
            return messages
        }
    }
}
