import ArgumentParser
import EmergentCore
import Foundation

/// Training to the end without the dashboard (`run`, `resume`, `sweep`, `report`): progress
/// on stderr, the summary on stdout.
enum HeadlessTraining {
    /// Reports a run folder's write failure on stderr as it happens.
    static let reportWriteFailure: ExperimentSession.FailureHandler = { message in
        FileHandle.standardError.write(Data("emergent: \(message)\n".utf8))
    }

    static func note(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    /// Trains until every run has ended, with progress bars (or lines) on stderr.
    static func train(_ session: ExperimentSession) -> ExperimentSummary {
        session.trainToEnd { manager in
            let progress = HeadlessProgress(manager: manager, interactive: isatty(STDERR_FILENO) == 1)
            progress.attach()
            return progress.finish
        }
        return session.finish()
    }

    /// Trains, prints the summary (a table, or JSON), writes `summary.json`, and fails when a
    /// folder write or a run failed.
    static func trainAndSummarize(_ session: ExperimentSession, json: Bool) throws {
        try summarize(train(session), session, json: json)
    }

    static func summarize(_ summary: ExperimentSummary, _ session: ExperimentSession, json: Bool) throws {
        print(json ? try summary.jsonText(experiment: session.config) : SummaryTable.text(summary, experiment: session.config))
        try userFacing { try session.writeSummary(summary) }
        if let writer = session.writer { note("run folders: \(writer.directory)") }
        if let failure = summary.groups.flatMap(\.failures).first {
            throw ValidationError("a run failed: \(failure)")
        }
    }
}
