import Foundation

/// `sweep.json` in a sweep's experiment folder: the grid as typed, the metric, and each
/// cell's run folders (the runs that give its value, and its controls). `view` and
/// `sweep --status` rebuild the heatmap from it; a Slurm sweep also lists its array tasks,
/// each the run folders one task trains, and an identity that says whether a new submission
/// is the same sweep.
public struct SweepManifest: Sendable, Equatable {
    public static let fileName = "sweep.json"

    public struct Cell: Sendable, Equatable {
        public let indices: [Int]
        public let label: String
        /// Run folder names (in the experiment folder) whose metric is the cell's value.
        public let runs: [String]
        public let controls: [String]

        public init(indices: [Int], label: String, runs: [String], controls: [String]) {
            self.indices = indices
            self.label = label
            self.runs = runs
            self.controls = controls
        }
    }

    /// `--grid` values as typed, parsed again on reading.
    public let grids: [String]
    public let metric: String
    public let cells: [Cell]
    /// A Slurm sweep's array tasks: task i trains the run folders `tasks[i]`.
    public var tasks: [[String]]
    /// Equal for two submissions of the same experiment, grid, seeds and metric.
    public var identity: String
    /// A Slurm sweep's site options and throttle, as submitted (a record: each resubmission
    /// takes the options it is given).
    public var sbatchArguments: [String] = []
    public var maxRunning: Int?

    public init(grids: [String], metric: String, cells: [Cell], tasks: [[String]] = [], identity: String = "") {
        self.grids = grids
        self.metric = metric
        self.cells = cells
        self.tasks = tasks
        self.identity = identity
    }

    public var grid: SweepGrid {
        get throws(SweepError) { try SweepGrid(parsing: grids) }
    }

    /// The plan over snapshots whose ids are positions in `folders` (run folder names in the
    /// order a reader lists them); a folder not there yet counts as not started.
    public func plan(folders: [String]) throws(SweepError) -> SweepPlan {
        let ids = Dictionary(folders.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return SweepPlan(
            grid: try grid, metric: try SweepMetric(parsing: metric),
            cells: cells.map { cell in
                // -1 is no run's id: the cell waits for a folder that does not exist yet.
                SweepPlan.Cell(indices: cell.indices, label: cell.label, runIDs: cell.runs.map { ids[$0] ?? -1 })
            })
    }

    public var json: JSONValue {
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        return .object([
            ("format", .number(1)), ("grids", strings(grids)), ("metric", .string(metric)),
            ("identity", .string(identity)),
            (
                "cells",
                .array(
                    cells.map { cell in
                        .object([
                            ("indices", .array(cell.indices.map { .number(Double($0)) })),
                            ("label", .string(cell.label)), ("runs", strings(cell.runs)),
                            ("controls", strings(cell.controls)),
                        ])
                    })
            ),
            ("tasks", .array(tasks.map(strings))),
        ] + (tasks.isEmpty ? [] : [
            ("slurm", .object([
                ("sbatch_args", strings(sbatchArguments)),
                ("max_running", maxRunning.map { .number(Double($0)) } ?? .null),
            ]))
        ]))
    }

    /// Reads `sweep.json` of an experiment folder; nil when the folder is not a sweep's.
    public static func load(directory: String) throws(RunFolderError) -> SweepManifest? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text: String
        switch TextFile.read(path) {
        case let .success(read): text = read
        case let .failure(refusal): throw .unreadable(path: path, reason: refusal.reason)
        }
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw .invalidConfig(path: path, reason: "\(error)") }
        func strings(_ value: JSONValue?, _ key: String) throws(RunFolderError) -> [String] {
            guard case let .array(items)? = value else {
                throw .invalidConfig(path: path, reason: "'\(key)' is not a list of strings")
            }
            var result: [String] = []
            for item in items {
                guard case let .string(text) = item else {
                    throw .invalidConfig(path: path, reason: "'\(key)' holds \(item.kind), not a string")
                }
                if key != "grids", !RunFolderLayout.isFolderName(text) {
                    throw .invalidConfig(
                        path: path,
                        reason: "'\(key)' names '\(EchoedValue.clipped(text))', which is not a run folder's name in this folder")
                }
                result.append(text)
            }
            return result
        }
        guard value["format"]?.numberValue == 1 else {
            throw .invalidConfig(
                path: path, reason: "it is not a sweep of format 1 (found format \(value["format"]?.text() ?? "none"))")
        }
        guard case let .string(metric)? = value["metric"], case let .array(cellValues)? = value["cells"] else {
            throw .invalidConfig(path: path, reason: "it lacks 'metric' or 'cells'")
        }
        guard cellValues.count <= SweepGrid.hardCellLimit else {
            throw .invalidConfig(path: path, reason: "\(cellValues.count) cells; at most \(SweepGrid.hardCellLimit)")
        }
        var cells: [Cell] = []
        for (index, cell) in cellValues.enumerated() {
            guard case let .string(label)? = cell["label"], case let .array(indexValues)? = cell["indices"] else {
                throw .invalidConfig(path: path, reason: "cell \(index) lacks its label or indices")
            }
            // Int(exactly:): a fraction, 1e300 or NaN is refused, never converted (it trapped).
            let indices = indexValues.compactMap { $0.numberValue.flatMap { Int(exactly: $0) } }
            guard indices.count == indexValues.count else {
                throw .invalidConfig(path: path, reason: "cell \(index): indices are not whole numbers")
            }
            cells.append(
                Cell(
                    indices: indices, label: label, runs: try strings(cell["runs"], "runs"),
                    controls: try strings(cell["controls"], "controls")))
        }
        var tasks: [[String]] = []
        if case let .array(taskValues)? = value["tasks"] {
            for task in taskValues { tasks.append(try strings(task, "tasks")) }
        }
        var identity = ""
        if case let .string(text)? = value["identity"] { identity = text }
        var manifest = SweepManifest(
            grids: try strings(value["grids"], "grids"), metric: metric, cells: cells, tasks: tasks,
            identity: identity)
        if let slurm = value["slurm"] {
            guard case let .array(arguments)? = slurm["sbatch_args"] else {
                throw .invalidConfig(path: path, reason: "'slurm' lacks its list 'sbatch_args'")
            }
            for argument in arguments {
                guard case let .string(text) = argument else {
                    throw .invalidConfig(path: path, reason: "'slurm.sbatch_args' holds \(argument.kind), not a string")
                }
                manifest.sbatchArguments.append(text)
            }
            if let limit = slurm["max_running"], limit != .null {
                guard let number = limit.numberValue.flatMap({ Int(exactly: $0) }), number >= 1 else {
                    throw .invalidConfig(path: path, reason: "'slurm.max_running' is not a whole number ≥ 1")
                }
                manifest.maxRunning = number
            }
        }
        let grid: SweepGrid
        do {
            grid = try manifest.grid
            _ = try manifest.plan(folders: [])
        } catch { throw .invalidConfig(path: path, reason: error.description) }
        for (number, cell) in cells.enumerated()
        where cell.indices.count != grid.axes.count
            || zip(cell.indices, grid.axes).contains(where: { !$1.values.indices.contains($0) })
        {
            throw .invalidConfig(
                path: path, reason: "cell \(number): its indices \(cell.indices) are not a cell of the grid \(manifest.grids)")
        }
        return manifest
    }

    public func write(to directory: String) throws(RunFolderError) {
        try AtomicFile.write(
            json.text(pretty: true) + "\n", to: (directory as NSString).appendingPathComponent(Self.fileName))
    }
}
