import ArgumentParser

/// The timing options every benchmark takes.
struct TimingOptions: ParsableArguments {
    @Option(help: "Timed windows per measurement (1...100); the median is reported.")
    var windows = 5

    @Option(help: "Minimum seconds per window (0.001...60; default depends on the benchmark).")
    var windowSeconds: Double?

    func validate() throws {
        try FlagRange.check("--windows", windows, 1...100)
        try FlagRange.check("--window-seconds", windowSeconds, 0.001...60)
    }

    func seconds(default value: Double) -> Double { windowSeconds ?? value }
}
