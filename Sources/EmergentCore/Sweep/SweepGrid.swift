import Foundation

/// A sweep's grid: one axis per `--grid KEY=A:B:STEP` or `KEY=V1,V2,…`, and every cell of
/// their product. A cell is one run entry of the experiment (the first, or for `alpha` the
/// first whose initializer takes α; with its control when it has one) with the axes' values
/// laid over it (flags win over run entries); `alpha` sets the entry's initializer option, `init` its
/// initializer, and any other key is an experiment or run key (`lr`, `tau`, `momentum` and
/// `wd` are short for `optimizer.lr`, `measure.tau`, `optimizer.momentum` and
/// `optimizer.weight_decay`).
public struct SweepGrid: Sendable {
    public struct Axis: Sendable, Equatable {
        /// As typed (`lr`, `alpha`, `model.widths`).
        public let key: String
        public let values: [JSONValue]
        public var labels: [String] { values.map(Self.label) }

        static func label(_ value: JSONValue) -> String {
            if case let .string(text) = value { return text }
            return value.text()
        }
    }

    /// One cell: a value index per axis, its label and the experiment it runs.
    public struct Cell: Sendable {
        public let indices: [Int]
        public let label: String
        public let experiment: ExperimentConfig

        /// The cell's runs as a sweep trains them, cell `index` of the grid: in groups
        /// `index × 1000 + group`, so the seeds of one cell pool and cells never do, and a
        /// control is its own group.
        public func runs(at index: Int) -> [RunConfig] {
            experiment.runs.map { original in
                var run = original
                run.group = index * 1000 + run.group
                return run
            }
        }
    }

    public static let cellLimit = 1000
    /// No grid, even with `--yes`, has more cells (a run folder each, at the least) or axes.
    public static let hardCellLimit = 100_000
    public static let axisLimit = 16
    /// Experiment keys every cell must share: one dataset is loaded, one pool trains, one folder is written.
    static let unsweepable = [
        "name", "dataset", "data_dir", "probe_size", "workers", "runs_dir", "run_folders", "seeds",
    ]
    public static let shorthands = [
        "lr": ["optimizer", "lr"], "momentum": ["optimizer", "momentum"], "wd": ["optimizer", "weight_decay"],
        "tau": ["measure", "tau"],
    ]

    public let axes: [Axis]
    /// The product of the axes' lengths, `Int.max` where it would overflow.
    public var cellCount: Int {
        axes.reduce(1) { product, axis in
            let (result, overflow) = product.multipliedReportingOverflow(by: axis.values.count)
            return overflow ? .max : result
        }
    }

    public init(axes: [Axis]) { self.axes = axes }

    /// The grid of `--grid` values as typed: each one an axis, no key twice, and at most
    /// `hardCellLimit` cells in all.
    public init(parsing grids: [String]) throws(SweepError) {
        guard grids.count <= Self.axisLimit else {
            throw SweepError("\(grids.count) --grid axes; at most \(Self.axisLimit)")
        }
        axes = try grids.map(Self.axis)
        var seen: Set<String> = []
        for axis in axes where !seen.insert(Self.shorthands[axis.key]?.joined(separator: ".") ?? axis.key).inserted {
            throw SweepError("--grid \(axis.key) is given twice; give each key once, with all its values")
        }
        guard cellCount <= Self.hardCellLimit else {
            throw SweepError(
                "the grid has \(cellCount == .max ? "too many" : String(cellCount)) cells; at most \(Self.hardCellLimit)")
        }
    }

    /// Reads one `--grid` value.
    public static func axis(_ text: String) throws(SweepError) -> Axis {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw SweepError("--grid '\(text)' is not KEY=A:B:STEP or KEY=V1,V2,… (e.g. alpha=1:2:0.1, lr=0.01,0.1)")
        }
        let key = parts[0], spec = parts[1]
        let top = String(key.split(separator: ".")[0])
        let known =
            ["alpha", "init"] + shorthands.keys.sorted() + ExperimentConfig.experimentKeys.filter { $0 != "runs" }
            + RunSettings.keys
        guard known.contains(top), !key.hasSuffix("."), !key.contains("..") else {
            throw SweepError("--grid: '\(key)' is not a key to sweep; keys: \(known.sorted().joined(separator: ", "))")
        }
        guard !unsweepable.contains(top) else {
            throw SweepError(
                "--grid: '\(key)' is shared by every cell (the data, the workers, the folders); give it once as a flag")
        }
        let colon = spec.split(separator: ":", omittingEmptySubsequences: false)
        if colon.count == 3, let low = Double(colon[0]), let high = Double(colon[1]), let step = Double(colon[2]) {
            return Axis(key: key, values: try range(key, low, high, step).map { JSONValue.number($0) })
        }
        // Initializer specs have colons of their own (emergence:alpha=1.5).
        guard !spec.contains(":") || key == "init" else {
            throw SweepError("--grid \(key)=\(spec): a range is A:B:STEP with three numbers, like 1:2:0.1")
        }
        let items = Self.splitList(spec)
        guard items.allSatisfy({ !$0.isEmpty }) else {
            throw SweepError("--grid \(key)=\(spec): an empty value in the list")
        }
        guard Set(items).count == items.count else {
            throw SweepError("--grid \(key)=\(spec): a value is listed twice")
        }
        return Axis(
            key: key,
            values: items.map { item in
                if key == "alpha" || key == "init" { return .string(item) }
                if let parsed = try? JSONParser.parse(item) { return parsed }
                return .string(item)
            })
    }

    /// Splits at the commas outside brackets, so `[64,64],[128]` is two values.
    static func splitList(_ text: String) -> [String] {
        var items: [String] = [], current = "", depth = 0
        for character in text {
            switch character {
            case "[", "{": depth += 1
            case "]", "}": depth -= 1
            default: break
            }
            if character == ",", depth == 0 {
                items.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        return items + [current]
    }

    /// `low`, `low + step`, … up to `high`; a step that lands on `high` within rounding
    /// includes it. Values are rounded to 12 significant digits (0.1 × 3 is 0.3).
    static func range(_ key: String, _ low: Double, _ high: Double, _ step: Double) throws(SweepError) -> [Double] {
        guard low.isFinite, high.isFinite, step.isFinite else {
            throw SweepError("--grid \(key): the range must be finite")
        }
        guard step != 0 else { throw SweepError("--grid \(key)=\(low):\(high):0: the step must not be 0") }
        guard (high - low) * step >= 0 else {
            throw SweepError(
                "--grid \(key)=\(low):\(high):\(step): the range is empty (a step of \(step) never reaches \(high))")
        }
        let exact = (high - low) / step
        // Checked as a Double first: a tiny step gives more values than an Int holds.
        guard exact.isFinite, exact + 1e-9 < Double(cellLimit) else {
            throw SweepError(
                "--grid \(key)=\(low):\(high):\(step): \(exact.isFinite ? String(format: "%.3g", exact + 1) : "too many") values; at most \(cellLimit) per axis"
            )
        }
        let count = Int((exact + 1e-9).rounded(.down)) + 1
        return (0..<count).map { index in Double(String(format: "%.12g", low + Double(index) * step)) ?? .nan }
    }

    /// Every cell, the last axis fastest, each a validated experiment. A cell whose values
    /// are refused (out of range, an init with no α) is an error naming the cell.
    public func cells(of experiment: ExperimentConfig, seeds: Int?) throws(SweepError) -> [Cell] {
        guard case let .array(entries)? = experiment.document["runs"], let first = entries.first else {
            throw SweepError("the experiment has no run entry to sweep")
        }
        // α is swept on the first entry whose initializer takes it (an emergence run), else the first.
        let takesAlpha = entries.first { entry in
            guard case let .string(text)? = entry["init"], let spec = try? InitializerSpec(parsing: text) else {
                return false
            }
            return (try? spec.setting("alpha", to: "1.5")) != nil
        }
        let entry = axes.contains { $0.key == "alpha" } ? takesAlpha ?? first : first
        var cells: [Cell] = []
        var indices = [Int](repeating: 0, count: axes.count)
        for _ in 0..<cellCount {
            var overrides: [(path: [String], value: JSONValue)] = []
            var cellEntry = entry
            var words: [String] = []
            for (axis, index) in zip(axes, indices) {
                let value = axis.values[index]
                words.append("\(axis.key)=\(Axis.label(value))")
                switch axis.key {
                case "init":
                    cellEntry = cellEntry.setting(["init"], to: value)
                case "alpha":
                    guard case let .string(initText)? = cellEntry["init"] else {
                        throw SweepError("--grid alpha: the run entry has no init to set α on")
                    }
                    do {
                        let spec = try InitializerSpec(parsing: initText).setting("alpha", to: Axis.label(value))
                        cellEntry = cellEntry.setting(["init"], to: .string(spec.description))
                    } catch {
                        throw SweepError("--grid alpha=\(Axis.label(value)): \(error.description)")
                    }
                default:
                    let path = Self.shorthands[axis.key] ?? axis.key.split(separator: ".").map(String.init)
                    overrides.append((path, value))
                }
            }
            let label = words.joined(separator: " ")
            cellEntry = cellEntry.setting(["label"], to: .string(label))
            if let seeds { overrides.append((["seeds"], .number(Double(seeds)))) }
            let document = experiment.document.setting(["runs"], to: .array([cellEntry]))
            do {
                let cellExperiment = try ExperimentConfig.parse(
                    document, defaultName: experiment.name, overrides: overrides)
                cells.append(Cell(indices: indices, label: label, experiment: cellExperiment))
            } catch {
                throw SweepError("cell \(label): \(error.description)")
            }
            // The last axis counts fastest.
            var axis = axes.count - 1
            while axis >= 0 {
                indices[axis] += 1
                if indices[axis] < axes[axis].values.count { break }
                indices[axis] = 0
                axis -= 1
            }
        }
        return cells
    }
}

/// Why a sweep cannot run, in one line.
public struct SweepError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
