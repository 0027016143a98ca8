import EmergentCore

/// `:export` in any dashboard: every export of an experiment folder into its `export/`.
enum RunFolderExport {
    static func exportAll(_ folder: String) throws(UserError) -> String {
        do {
            let experiment = try ExportedExperiment(path: folder)
            let files = try ExperimentExporter(experiment).write(.all, to: experiment.defaultOutput)
            return "exported \(files.count) files to \(experiment.defaultOutput)"
        } catch {
            throw UserError("\(error)")
        }
    }
}
