import ArgumentParser
import EmergentCore
import Foundation
import Synchronization

/// Trains a manager's runs to the end without the dashboard (`run` and `resume`): progress
/// on stderr, the summary on stdout and in the experiment folder's `summary.json`.
enum HeadlessSession {
    /// Write failures seen so far, for the exit status.
    static let writeFailures = Mutex<[String]>([])

    /// Reports a run folder's write failure on stderr as it happens.
    static let reportWriteFailure: RunFolderWriter.ErrorHandler = { _, message in
        writeFailures.withLock { $0.append(message) }
        FileHandle.standardError.write(Data("emergent: \(message)\n".utf8))
    }

    /// The experiment's data, a run manager for it, and the writer of its run folders (nil with
    /// `run_folders: false`), not yet attached. Write failures go to `onError` (stderr by default).
    static func prepare(
        _ config: ExperimentConfig, onError: @escaping RunFolderWriter.ErrorHandler = reportWriteFailure
    ) throws -> (data: ExperimentData, manager: RunManager, writer: RunFolderWriter?) {
        let data: ExperimentData
        do { data = try ExperimentData.load(config) } catch { throw ValidationError(error.description) }
        let manager = RunManager(data: data, workers: config.workers)
        guard config.writesRunFolders else { return (data, manager, nil) }
        do {
            let writer = try RunFolderWriter(
                root: config.runsDirectory, experiment: config, data: data, onError: onError)
            return (data, manager, writer)
        } catch { throw ValidationError(error.description) }
    }

    /// Adds every run of a sweep's cells; returns each cell's run ids, its controls left out.
    /// Groups are per cell (a control in a cell is its own group, and not the cell's value).
    static func add(_ cells: [SweepGrid.Cell], to manager: RunManager, writer: RunFolderWriter?) -> [[Int]] {
        cells.enumerated().map { index, cell in
            cell.runs(at: index).compactMap { run in
                writer?.use(document: cell.experiment.document, forGroup: run.group)
                let id = manager.add(run)
                return run.controlOf == nil ? id : nil
            }
        }
    }

    /// Starts the manager and waits until every run has ended (or paused), with progress on stderr.
    static func trainToEnd(_ manager: RunManager) {
        let progress = HeadlessProgress(manager: manager, interactive: isatty(STDERR_FILENO) == 1)
        progress.attach()
        manager.start()
        manager.waitUntilSettled()
        manager.shutdown()
        progress.finish()
    }

    /// `summaryFile: false` leaves `summary.json` alone: the runs are part of an experiment
    /// (a Slurm task's share), and the summary of a part is not the experiment's.
    static func train(
        _ manager: RunManager, experiment: ExperimentConfig, writer: RunFolderWriter?, json: Bool,
        summaryFile: Bool = true
    ) throws {
        trainToEnd(manager)
        let summary = ExperimentSummary(manager.snapshots())
        let jsonText = try SummaryTable.json(summary, experiment: experiment)
        print(json ? jsonText : SummaryTable.text(summary, experiment: experiment))
        if let writer {
            writer.flush()
            let failures = writeFailures.withLock { $0 }
            if failures.isEmpty {
                if summaryFile {
                    do { try writer.writeSummary(text: jsonText) } catch { throw ValidationError(error.description) }
                }
                FileHandle.standardError.write(Data("run folders: \(writer.directory)\n".utf8))
            } else {
                throw ValidationError(
                    "\(failures.count) run folder write(s) failed, the first: \(failures[0])")
            }
        }
        if let failure = summary.groups.flatMap(\.failures).first {
            throw ValidationError("a run failed: \(failure)")
        }
    }
}
