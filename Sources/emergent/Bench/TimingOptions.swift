import ArgumentParser

/// The timing options every benchmark takes.
struct TimingOptions: ParsableArguments {
    @Option(help: "Timed windows per measurement (1...100); the median is reported.")
    var windows = 5

    @Option(help: "Minimum seconds per window (0.001...60; default depends on the benchmark).")
    var windowSeconds: Double?

    func validate() throws {
        guard (1...100).contains(windows) else {
            throw ValidationError("--windows \(windows) is out of range; it must be in 1...100")
        }
        if let windowSeconds, !(windowSeconds.isFinite && (0.001...60).contains(windowSeconds)) {
            throw ValidationError("--window-seconds \(windowSeconds) is out of range; it must be in 0.001...60")
        }
    }

    func seconds(default value: Double) -> Double { windowSeconds ?? value }
}
