import Foundation

/// The wall seconds each experiment of a report has taken over every invocation, kept in
/// `OUT/runs/report-time.json` after each experiment and tuning round, so a report carried on
/// after a stop still says how long it took (the work of an experiment cut off midway is the
/// only time not counted).
struct ReportTimeLedger {
    let path: String
    private(set) var seconds: [String: Double] = [:]

    /// The ledger of the report folder `out`; an unreadable ledger starts at zero, as a report
    /// without one does (its figures are the report's own, not the runs').
    init(out: String) {
        path = ((out as NSString).appendingPathComponent("runs") as NSString).appendingPathComponent("report-time.json")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let document = try? JSONParser.parse(text),
            case let .object(entries) = document
        else { return }
        for (name, value) in entries { if let number = value.numberValue, number.isFinite, number >= 0 { seconds[name] = number } }
    }

    var total: Double { seconds.values.reduce(0, +) }

    /// Adds `elapsed` to `experiment`'s time and writes the ledger.
    mutating func add(_ elapsed: Double, to experiment: String) throws(UserError) {
        seconds[experiment, default: 0] += elapsed
        let document = JSONValue.object(seconds.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.number($0.value)) })
        try ClaimReportRun.write(document.text(pretty: true) + "\n", to: path)
    }
}
