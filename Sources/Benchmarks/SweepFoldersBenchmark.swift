import DashboardCore
import EmergentCore
import Foundation

/// What watching a large sweep costs: synthetic run folders of a finished sweep (each with a
/// whole run's metrics and events, the layers included), then the time to open `view` on them
/// (read every folder, plan the heatmap, draw a 200×60 frame), to print `sweep --status`
/// (read every folder, the cells' states, the table), and for a view that is open to show a
/// point one run just appended (one poll of every folder, one frame). Medians of windows.
public struct SweepFoldersBenchmark: Sendable {
    public struct Report: Sendable {
        public let runs: Int
        public let recordsPerRun: Int
        public let bytes: Int
        public let openSeconds: [Double]
        public let statusSeconds: [Double]
        public let newPointSeconds: [Double]
        /// The view reads the folders every 0.5 s: a new point shows within this plus one poll.
        public static let pollInterval = 0.5
    }

    public let experiment: ExperimentConfig
    public let data: ExperimentData
    public let runs: Int
    public let epochs: Int
    public let windows: Int

    public init(experiment: ExperimentConfig, data: ExperimentData, runs: Int, epochs: Int = 3, windows: Int = 5) {
        self.experiment = experiment
        self.data = data
        // A grid of rows of 25: the count is rounded down to whole rows.
        self.runs = runs < 25 ? max(runs, 1) : runs / 25 * 25
        self.epochs = epochs
        self.windows = max(windows, 1)
    }

    public static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// Writes the sweep's folders under `root`; returns the experiment folder and the bytes written.
    func writeFolders(root: String) throws -> (directory: String, bytes: Int, records: Int) {
        let writer = try RunFolderWriter(root: root, experiment: experiment, data: data) { _, _ in }
        let stepsPerEpoch = 50
        // A 2-D grid whose product is the run count: rows of 25 (or fewer).
        let columns = min(25, runs), rows = runs / columns
        let grids = [
            "lr=0.001:\(JSONValue.numberText(0.001 * Double(rows))):0.001",
            "momentum=0:\(JSONValue.numberText(0.01 * Double(columns - 1))):0.01",
        ]
        let grid = try SweepGrid(parsing: grids)
        let gridCells = try grid.cells(of: experiment, seeds: 1)
        var cells: [SweepManifest.Cell] = [], bytes = 0, records = 0
        let layers = ["dense1", "dense2", "dense3", "dense4"]
        for (index, cell) in gridCells.enumerated() {
            // The cell's first run: the sweep's value (the default preset's first entry has no control).
            let config = cell.runs(at: index)[0]
            writer.use(document: cell.experiment.document, forGroup: config.group)
            let folder = try writer.prepare(run: index, config: config, stepsPerEpoch: stepsPerEpoch)
            var metrics = "", events = ""
            var count = 0
            func metric(_ key: String, _ value: Double, step: Int, epoch: Int) {
                metrics += MetricRecord(step: step, epoch: epoch, wallTime: Double(step), key: key, value: value).line
                count += 1
            }
            func event(_ event: RunEvent) {
                if let line = RecordedEvent(event, wallTime: 0)?.line { events += line }
            }
            event(.started(seed: 0))
            for step in 1...(epochs * stepsPerEpoch) {
                let epoch = (step - 1) / stepsPerEpoch
                let loss = 2.3 / Double(step).squareRoot()
                for (key, value) in [
                    ("train/loss", loss), ("train/acc", 1 - loss / 3), ("opt/lr", 0.05), ("opt/grad_norm", 1),
                    ("time/wall", Double(step) * 0.01),
                ] {
                    metric(key, value, step: step, epoch: epoch)
                }
                if step % 10 == 0 {
                    metric("emergence/log10E", 3 + loss, step: step, epoch: epoch)
                    for layer in layers {
                        for stat in ["scale", "log10E", "active", "weight_rms", "act_std", "grad_norm"] {
                            metric("layers/\(layer)/\(stat)", loss, step: step, epoch: epoch)
                        }
                    }
                }
                if step % stepsPerEpoch == 0 {
                    let accuracy = 0.7 + 0.01 * Double(index % 17) + 0.02 * Double(epoch)
                    for (key, value) in [
                        ("train/epoch_loss", loss), ("train/epoch_acc", 1 - loss / 3), ("test/loss", loss),
                        ("test/acc", accuracy),
                    ] {
                        metric(key, value, step: step, epoch: epoch)
                    }
                    event(
                        .epochEnded(
                            EpochRecord(
                                epoch: epoch + 1, step: step, trainLoss: loss, trainAccuracy: 1 - loss / 3,
                                test: ["test/acc": accuracy, "test/loss": loss], wallTime: Double(step))))
                }
            }
            event(.finished(step: epochs * stepsPerEpoch))
            for (name, text) in [(RunFolderLayout.metricsFile, metrics), (RunFolderLayout.eventsFile, events)] {
                try text.write(
                    toFile: (folder as NSString).appendingPathComponent(name), atomically: false, encoding: .utf8)
                bytes += text.utf8.count
            }
            records = count
            cells.append(
                SweepManifest.Cell(
                    indices: cell.indices, label: cell.label,
                    runs: [(folder as NSString).lastPathComponent], controls: []))
        }
        try SweepManifest(grids: grids, metric: "test/acc@final", cells: cells).write(to: writer.directory)
        return (writer.directory, bytes, records)
    }

    public func measure(root: String, progress: (String) -> Void = { _ in }) throws -> Report {
        progress("writing \(runs) run folders of \(epochs) epochs under \(root)…")
        let (directory, bytes, records) = try writeFolders(root: root)
        var open: [Double] = [], status: [Double] = [], newPoint: [Double] = []
        for window in 0..<windows {
            var clock = ContinuousClock.now
            let follower = try RunFolderFollower(paths: [directory])
            var state = DashboardState(experiment: "view", dataset: data.dataset, model: "mlp")
            _ = state.handle(.snapshots(follower.poll(), elapsed: 0, cpu: nil))
            let manifest = try SweepManifest.load(directory: directory)
            state.sweep = try manifest?.plan(
                folders: follower.runFolderPaths.map { ($0 as NSString).lastPathComponent })
            var frame = DashboardView.render(state, width: 200, height: 60, theme: .builtIn)
            open.append((ContinuousClock.now - clock).seconds)
            guard frame.text.contains("sweep · \(runs)/\(runs) cells done") else {
                throw RunFolderError.invalidConfig(
                    path: directory, reason: "the view does not show every cell done: \(follower.problems.first ?? "")")
            }

            clock = ContinuousClock.now
            let read = try SweepStatus.read(directory: directory, queue: { _ in [:] }, ended: { _, _ in nil })
            let table = read.status.text
            status.append((ContinuousClock.now - clock).seconds)
            guard table.hasSuffix("\(runs) cells: \(runs) done, 0 running, 0 queued") else {
                throw RunFolderError.invalidConfig(path: directory, reason: "the status does not count every cell done")
            }

            // One run appends a point; the open view's next poll and frame show it.
            let target = follower.runFolderPaths[window % runs]
            let step = epochs * 50 + 1 + window
            let handle = try FileHandle(
                forWritingTo: URL(
                    fileURLWithPath: (target as NSString).appendingPathComponent(RunFolderLayout.metricsFile)))
            handle.seekToEndOfFile()
            handle.write(
                Data(MetricRecord(step: step, epoch: epochs, wallTime: 0, key: "train/loss", value: 0.01).line.utf8))
            try handle.close()
            clock = ContinuousClock.now
            let snapshots = follower.poll()
            _ = state.handle(.snapshots(snapshots, elapsed: 0, cpu: nil))
            frame = DashboardView.render(state, width: 200, height: 60, theme: .builtIn)
            newPoint.append((ContinuousClock.now - clock).seconds)
            guard snapshots[window % runs].latest["train/loss"] == 0.01 else {
                throw RunFolderError.invalidConfig(path: target, reason: "the appended point was not read")
            }
            progress(
                String(
                    format: "window %d: open %.3f s, status %.3f s, new point %.3f s", window + 1, open.last!,
                    status.last!, newPoint.last!))
        }
        return Report(
            runs: runs, recordsPerRun: records, bytes: bytes, openSeconds: open, statusSeconds: status,
            newPointSeconds: newPoint)
    }
}
