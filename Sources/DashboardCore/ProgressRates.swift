import EmergentCore

/// Each run's real throughput: samples it got through over the last `window` seconds of the
/// dashboard's clock, from the step counts the frames see. A step's own speed (what a
/// trainer measures inside its step) says how fast a run trains while it has a core; runs
/// that share the cores progress slower, and only progress over wall time says by how much.
/// The header's total is the sum of these rates, and an ETA is what remains at this rate.
public struct ProgressRates: Sendable {
    /// Seconds of history a rate is taken over: long enough to span several fair-share
    /// slices of every run, short enough to follow a change (a pause, a new run).
    public static let window = 10.0
    /// Below this span a rate is not yet known ("—").
    static let shortestSpan = 1.0

    private struct Sample: Sendable {
        let time: Double
        let samples: Double
    }

    private var history: [Int: [Sample]] = [:]

    public init() {}

    /// Records the frame's snapshot of every run at `time` (seconds on the dashboard's clock).
    public mutating func record(_ runs: [RunSnapshot], at time: Double) {
        var next: [Int: [Sample]] = [:]
        for run in runs {
            let done = Double(run.step * run.config.settings.batchSize)
            var samples = history[run.id] ?? []
            // A restarted run (fewer samples than before) starts a new history.
            if let last = samples.last, done < last.samples || time < last.time { samples = [] }
            samples.append(Sample(time: time, samples: done))
            // Keep one sample older than the window, so the window is always spanned.
            while samples.count > 2, samples[1].time <= time - Self.window { samples.removeFirst() }
            next[run.id] = samples
        }
        history = next
    }

    /// Samples per second of run `id` over the window; nil until a second has been seen, and
    /// 0 for a run that did not move (paused, waiting for a core).
    public func rate(of id: Int) -> Double? {
        guard let samples = history[id], let first = samples.first, let last = samples.last,
            last.time - first.time >= Self.shortestSpan
        else { return nil }
        return (last.samples - first.samples) / (last.time - first.time)
    }

    /// Seconds left for `run` at its rate; nil when the rate is not known or is 0.
    public func remainingSeconds(_ run: RunSnapshot) -> Double? {
        guard let rate = rate(of: run.id), rate > 0 else { return nil }
        return Double((run.totalSteps - run.step) * run.config.settings.batchSize) / rate
    }
}
