import EmergentCore
import Foundation

/// How a dashboard looks, settled before the terminal changes: its theme (and where themes
/// are found, for `t` and `:theme`), its curve symbols, and whether the clock is frozen
/// (screens compared as text).
public struct DashboardLook: Sendable {
    public var theme: Theme
    public let symbols: LineChart.Symbols
    public let frozenClock: Bool
    /// `~/.config/emergent/themes` (or `$XDG_CONFIG_HOME`'s), then the shipped `themes/`;
    /// nil in a look made from a theme value.
    public let userThemes: String?
    public let shippedThemes: String?

    /// A look from a theme in hand (benchmarks): `t` then finds no other themes.
    public init(theme: Theme, symbols: LineChart.Symbols, frozenClock: Bool = false) {
        self.theme = theme
        self.symbols = symbols
        self.frozenClock = frozenClock
        userThemes = nil
        shippedThemes = nil
    }

    /// Reads the theme and chooses the symbols: `symbols` by name, or braille when the
    /// locale is UTF-8 and ascii when it is not. Refused with the valid choices.
    public init(
        theme name: String, symbols: String?, frozenClock: Bool, environment: [String: String],
        shippedThemes: String? = DashboardLook.shippedThemes
    ) throws(UserError) {
        userThemes = Theme.userDirectory(environment: environment)
        self.shippedThemes = shippedThemes
        self.frozenClock = frozenClock
        do {
            theme = try Theme.load(name, userDirectory: userThemes, shippedDirectory: shippedThemes)
        } catch {
            throw UserError(error.description)
        }
        let utf8 =
            ["LC_ALL", "LC_CTYPE", "LANG"].compactMap { environment[$0] }.first { !$0.isEmpty }?.uppercased()
            .contains("UTF-8") ?? false
        var chosen = utf8 ? LineChart.Symbols.braille : .ascii
        if let symbols {
            guard let value = LineChart.Symbols(rawValue: symbols) else {
                throw UserError("--symbols '\(symbols)' is not one of: braille, block, ascii")
            }
            chosen = value
        }
        self.symbols = chosen
    }

    /// The `themes` folder beside the shipped data.
    public static var shippedThemes: String? {
        EmbeddedData.dataDirectory.map {
            (($0 as NSString).deletingLastPathComponent as NSString).appendingPathComponent("themes")
        }
    }

    public var themeNames: [String] { Theme.available(userDirectory: userThemes, shippedDirectory: shippedThemes) }

    /// A fresh state for a source with this look's settings.
    public func state(_ header: DashboardSourceHeader) -> DashboardState {
        var state = DashboardState(experiment: header.experiment, dataset: header.dataset, model: header.model)
        state.tau = header.tau
        state.symbols = symbols
        state.frozenClock = frozenClock
        state.themeNames = themeNames
        state.presetNames = ExperimentConfig.presetNames
        return state
    }

    /// The named theme, or (`nil`) the one after the current one in name order.
    func nextTheme(_ name: String?) throws(Theme.ThemeError) -> Theme {
        let names = themeNames
        let chosen = name ?? names.first { $0 > theme.name } ?? names.first ?? theme.name
        return try Theme.load(chosen, userDirectory: userThemes, shippedDirectory: shippedThemes)
    }
}
