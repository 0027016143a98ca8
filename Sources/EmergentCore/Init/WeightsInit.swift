import Foundation

/// A model started from a weights file as it is (`weights:file=PATH`, `dash --weights`,
/// `measure --weights`): every parameter from the file, none drawn, so an init made in
/// PyTorch trains and is measured as Emergent's own are.
enum WeightsInit {
    /// Loads the file into `model` (refusing a missing, extra or misshapen tensor; BatchNorm
    /// running statistics too where the file has them) and reports
    /// each weight's σ as loaded, with scale 1.
    static func apply(file: SafetensorsFile, path: String, to model: some InitTarget) throws(WeightsError) -> InitReport {
        let layers = (model as? any ClassifierModel)?.statefulLayers ?? []
        try WeightsLoader.load(file, into: model.store, statefulLayers: layers, path: path)
        let store = model.store
        let name = (path as NSString).lastPathComponent
        return InitReport(
            layers: model.weightsInOrder.map { layer in
                InitReport.Layer(
                    name: layer.name,
                    standardDeviation: ClosedFormInit.standardDeviation(store.value(layer.weight), layer.weight.count),
                    scale: 1, reason: "as loaded from \(name)")
            }, probeForwards: 0)
    }
}
