import Foundation
import EmergentCore

/// The dashboard's colours, read from btop-style theme files: lines `theme[key]="value"`
/// where the value is `#rrggbb`, `#gg` (a grey level), `r g b` in decimals, an ANSI palette
/// index 0–15, or empty (the terminal's own colour). `#` starts a comment. Unlike btop, an
/// unknown key is an error naming the line (a typo must not pass unnoticed); keys a file
/// leaves out keep the built-in dark theme's colours.
public struct Theme: Sendable, Equatable {
    public let name: String
    public private(set) var colors: [String: TerminalColor]

    /// Every key a theme may set, with what it colours (`themes/README.md` lists the same).
    public static let keys: [(key: String, meaning: String)] =
        [
            ("main_bg", "background of the whole screen; empty: the terminal's"),
            ("main_fg", "ordinary text"),
            ("title", "pane titles and the header"),
            ("hi_fg", "key hints and the focused pane's outline"),
            ("selected_bg", "background of the selected row"),
            ("selected_fg", "text of the selected row"),
            ("inactive_fg", "secondary text: units, faint raw series, disabled items"),
            ("graph_text", "axis labels and tick values"),
            ("div_line", "dividers between table columns"),
            ("box", "pane outlines"),
            ("axis", "chart axes"),
            ("marker", "event markers on curves (parameter changes)"),
            ("status_ok", "confirmations and finished runs"),
            ("status_warn", "warnings: values vanishing or growing"),
            ("status_error", "errors, diverged runs, critical values"),
        ] + (1...8).map { ("run_\($0)", "colour of the \($0)\(Self.ordinalSuffix($0)) run") } + [
            ("bar_start", "bars and heat strips: low end"),
            ("bar_mid", "bars and heat strips: middle"),
            ("bar_end", "bars and heat strips: high end"),
        ] + (1...8).map { ("heat_\($0)", "sweep heatmap: step \($0) of 8, worst to best") }

    static func ordinalSuffix(_ n: Int) -> String { n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th" }

    /// The built-in dark theme, which `themes/default.theme` spells out.
    public static let builtIn = Theme(
        name: "default",
        colors: [
            "main_bg": .terminalDefault, "main_fg": .rgb(0xcc, 0xcc, 0xcc), "title": .rgb(0xee, 0xee, 0xee),
            "hi_fg": .rgb(0x5f, 0xaf, 0xff), "selected_bg": .rgb(0x30, 0x30, 0x40),
            "selected_fg": .rgb(0xff, 0xff, 0xff),
            "inactive_fg": .rgb(0x6c, 0x6c, 0x6c), "graph_text": .rgb(0x9e, 0x9e, 0x9e),
            "div_line": .rgb(0x44, 0x44, 0x44),
            "box": .rgb(0x58, 0x58, 0x58), "axis": .rgb(0x80, 0x80, 0x80), "marker": .rgb(0xff, 0xd7, 0x00),
            "status_ok": .rgb(0x5f, 0xd7, 0x5f), "status_warn": .rgb(0xff, 0xaf, 0x00),
            "status_error": .rgb(0xff, 0x5f, 0x5f),
            "run_1": .rgb(0x4e, 0xa5, 0xff), "run_2": .rgb(0xff, 0x8c, 0x42), "run_3": .rgb(0x5c, 0xd6, 0x6b),
            "run_4": .rgb(0xe0, 0x6c, 0xdf), "run_5": .rgb(0xf2, 0xd3, 0x4b), "run_6": .rgb(0x3f, 0xd1, 0xc8),
            "run_7": .rgb(0xff, 0x6b, 0x81), "run_8": .rgb(0xb3, 0x9d, 0xff),
            "bar_start": .rgb(0x2e, 0x7d, 0x32), "bar_mid": .rgb(0xf9, 0xa8, 0x25), "bar_end": .rgb(0xc6, 0x28, 0x28),
        ].merging(Self.heatRamp.enumerated().map { ("heat_\($0.offset + 1)", $0.element) }) { $1 })

    /// The heatmap's ramp, worst to best: a dark-to-bright green readable on dark and light.
    static let heatRamp: [TerminalColor] = [
        .rgb(0x5f, 0x00, 0x00), .rgb(0x87, 0x00, 0x00), .rgb(0xaf, 0x5f, 0x00), .rgb(0xaf, 0x87, 0x00),
        .rgb(0xaf, 0xaf, 0x00), .rgb(0x87, 0xaf, 0x00), .rgb(0x5f, 0xaf, 0x00), .rgb(0x00, 0xaf, 0x00),
    ]

    /// The heatmap's colour of a level (0 worst … `heatLevels` − 1 best).
    public func heatColor(_ level: Int) -> TerminalColor { self["heat_\(min(max(level, 0), Self.heatLevels - 1) + 1)"] }
    public static let heatLevels = 8

    /// Drawn without colour (NO_COLOR, or a terminal without colours): the view then marks
    /// the selection with reverse video, warnings with underline and errors with bold.
    public private(set) var isMonochrome = false

    public init(name: String, colors: [String: TerminalColor]) {
        self.name = name
        self.colors = colors
    }

    /// This theme for a terminal without colour.
    public func monochrome() -> Theme {
        var theme = Theme(name: name, colors: colors.mapValues { _ in .terminalDefault })
        theme.isMonochrome = true
        return theme
    }

    public subscript(key: String) -> TerminalColor { colors[key] ?? Self.builtIn.colors[key] ?? .terminalDefault }

    /// The colour of the run at `index` (0-based), cycling through run_1…run_8.
    public func runColor(_ index: Int) -> TerminalColor { self["run_\(index % 8 + 1)"] }

    /// A theme is a few dozen short lines.
    public static let fileLimit = 64 << 10

    public enum ThemeError: Error, Equatable, CustomStringConvertible {
        case unreadable(file: String, reason: String)
        case malformed(file: String, line: Int, text: String)
        case unknownKey(file: String, line: Int, key: String)
        case badValue(file: String, line: Int, key: String, value: String)
        case repeatedKey(file: String, line: Int, key: String)
        case notFound(name: String, searched: [String], available: [String])

        public var description: String {
            switch self {
            case let .unreadable(file, reason): "\(file): \(reason)"
            case let .malformed(file, line, text):
                "\(file):\(line): '\(EchoedValue.clipped(text))' is not theme[key]=\"value\" (e.g. theme[main_fg]=\"#cccccc\")"
            case let .unknownKey(file, line, key):
                "\(file):\(line): unknown key '\(EchoedValue.clipped(key))'; valid keys: \(Theme.keys.map(\.key).joined(separator: ", "))"
            case let .badValue(file, line, key, value):
                "\(file):\(line): \(key) = '\(EchoedValue.clipped(value))' is not a colour; use #rrggbb, #gg (grey), 'r g b' (0...255 each), "
                    + "an ANSI index 0...15, or empty for the terminal's colour"
            case let .repeatedKey(file, line, key): "\(file):\(line): key '\(key)' is set twice"
            case let .notFound(name, searched, available):
                "no theme '\(name)' (searched \(searched.joined(separator: ", "))); available: \(available.joined(separator: ", "))"
            }
        }
    }

    /// Parses a theme file's text; `file` names it in errors.
    public init(parsing text: String, name: String, file: String) throws(ThemeError) {
        var colors = Self.builtIn.colors
        var seen: Set<String> = []
        let known = Set(Self.keys.map(\.key))
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]"),
                line[line.index(after: close)...].hasPrefix("=")
            else {
                throw .malformed(file: file, line: index + 1, text: line)
            }
            let key = String(line[line.index(line.startIndex, offsetBy: 6)..<close])
            var value = String(line[line.index(close, offsetBy: 2)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            guard known.contains(key) else { throw .unknownKey(file: file, line: index + 1, key: key) }
            guard seen.insert(key).inserted else { throw .repeatedKey(file: file, line: index + 1, key: key) }
            guard let color = Self.color(value) else {
                throw .badValue(file: file, line: index + 1, key: key, value: value)
            }
            colors[key] = color
        }
        self.init(name: name, colors: colors)
    }

    /// A colour value of a theme line, or nil.
    static func color(_ text: String) -> TerminalColor? {
        let value = text.trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return .terminalDefault }
        if value.hasPrefix("#") {
            let hex = value.dropFirst()
            guard hex.allSatisfy(\.isHexDigit), let number = UInt32(hex, radix: 16) else { return nil }
            if hex.count == 6 { return .rgb(UInt8(number >> 16), UInt8((number >> 8) & 0xff), UInt8(number & 0xff)) }
            if hex.count == 2 { return .rgb(UInt8(number), UInt8(number), UInt8(number)) }
            return nil
        }
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        if parts.count == 3 {
            let channels = parts.compactMap { UInt8($0) }
            return channels.count == 3 ? .rgb(channels[0], channels[1], channels[2]) : nil
        }
        if parts.count == 1, let index = UInt8(value), index < 16 { return .ansi(index) }
        return nil
    }

    /// Finds a theme by path or by name: `--theme` value first (an existing file), then
    /// `NAME.theme` in the user's folder (`$XDG_CONFIG_HOME/emergent/themes`, else
    /// `~/.config/emergent/themes`), then in the shipped `themes/` folder.
    public static func load(
        _ nameOrPath: String, userDirectory: String?, shippedDirectory: String?
    ) throws(ThemeError) -> Theme {
        var searched: [String] = []
        var candidates: [String] = []
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") { candidates.append(nameOrPath) }
        for directory in [userDirectory, shippedDirectory].compactMap({ $0 }) {
            candidates.append((directory as NSString).appendingPathComponent(nameOrPath + ".theme"))
        }
        for candidate in candidates {
            searched.append(candidate)
            guard FileManager.default.fileExists(atPath: candidate) else { continue }
            let text: String
            switch TextFile.read(candidate, limit: Theme.fileLimit) {
            case let .success(read): text = read
            case let .failure(refusal): throw .unreadable(file: candidate, reason: refusal.reason)
            }
            let name = ((candidate as NSString).lastPathComponent as NSString).deletingPathExtension
            return try Theme(parsing: text, name: name, file: candidate)
        }
        throw .notFound(
            name: nameOrPath, searched: searched,
            available: available(userDirectory: userDirectory, shippedDirectory: shippedDirectory))
    }

    /// The names of the themes in the user's folder and the shipped one, sorted, each once.
    public static func available(userDirectory: String?, shippedDirectory: String?) -> [String] {
        let names = [userDirectory, shippedDirectory].compactMap { $0 }.flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".theme") }
                .map { String($0.dropLast(6)) }
        }
        return Array(Set(names)).sorted()
    }

    /// The user's theme folder: `$XDG_CONFIG_HOME/emergent/themes`, else `~/.config/emergent/themes`.
    public static func userDirectory(environment: [String: String]) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/emergent/themes" }
        return environment["HOME"].map { $0 + "/.config/emergent/themes" }
    }
}
