import DashboardCore
import EmergentCore
import Foundation
import Synchronization

/// The dashboard benchmark's screen: a sender thread presses `m` at random moments 20–200 ms
/// apart; `readKey` waits up to 50 ms for one (the terminal's key timeout) and hands over one
/// key a frame, as the terminal does; `draw` copies the frame to text (what the terminal's
/// copy costs, less its write) and records, for the key it showed, the time from the press.
final class LatencyScreen: DashboardScreen, @unchecked Sendable {
    // @unchecked: the sender thread touches only `pending` (a Mutex) and `arrived` (a
    // semaphore); everything else belongs to the program's thread.
    let size: (width: Int, height: Int)
    let depth = TerminalColor.Depth.palette256
    private let keys: Int
    private let pending = Mutex<[ContinuousClock.Instant]>([])
    private let arrived = DispatchSemaphore(value: 0)
    /// The press of the key read this frame, if one was.
    private var shown: ContinuousClock.Instant?
    private(set) var latencies: [Double] = []

    init(width: Int, height: Int, keys: Int) {
        size = (width, height)
        self.keys = keys
    }

    var interrupted: Bool { latencies.count >= keys }

    func startSending() {
        Thread { [self] in
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<keys {
                Thread.sleep(forTimeInterval: Double.random(in: 0.02...0.2, using: &generator))
                pending.withLock { $0.append(.now) }
                arrived.signal()
            }
        }.start()
    }

    func readKey() -> Key? {
        _ = arrived.wait(timeout: .now() + .milliseconds(50))
        shown = pending.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        return shown == nil ? nil : .character("m")
    }

    func draw(_ buffer: CellBuffer) {
        precondition(!buffer.text.isEmpty)
        if let shown { latencies.append((ContinuousClock.now - shown).seconds * 1000) }
    }

    func close() {}
}
