/// Wide CSV tables, one per series group (the key's first part: `train`, `test`, `opt`,
/// `emergence`, `layers`…): a header once, then one row per step with a column per run and
/// key. A cell is empty where that run logged nothing at that step.
public enum CSVExport {
    /// File name and contents of each table.
    public static func tables(_ experiment: ExportedExperiment) -> [(name: String, text: String)] {
        let keys = experiment.keys
        let groups = Dictionary(grouping: keys) { String($0.prefix { $0 != "/" }) }
        return groups.keys.sorted().map { group in
            let columns = experiment.runs.flatMap { run in
                groups[group]!.filter { run.series[$0] != nil }.map { (run: run, key: $0) }
            }
            var rows: [Int: [Int: Double]] = [:]
            for (index, column) in columns.enumerated() {
                for record in column.run.series[column.key] ?? [] {
                    rows[record.step, default: [:]][index] = record.value
                }
            }
            var text = (["step"] + columns.map { quoted($0.run.name + "/" + $0.key) }).joined(separator: ",") + "\n"
            for step in rows.keys.sorted() {
                let cells = rows[step]!
                text +=
                    String(step) + ","
                    + columns.indices.map { cells[$0].map(number) ?? "" }.joined(separator: ",") + "\n"
            }
            return (group + ".csv", text)
        }
    }

    static func number(_ value: Double) -> String {
        value.isNaN ? "nan" : value.isInfinite ? (value > 0 ? "inf" : "-inf") : "\(value)"
    }

    /// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { ",\"\n\r".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
