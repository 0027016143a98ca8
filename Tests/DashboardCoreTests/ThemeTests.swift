@testable import DashboardCore
import Foundation
import Testing

@Suite("Themes: shipped files, bad lines, colour ladder")
struct ThemeTests {
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes").path

    @Test(
        "every shipped theme loads and sets every key; default.theme is the built-in theme",
        arguments: ["default", "light", "high-contrast", "ansi16"])
    func shippedThemes(name: String) throws {
        let theme = try Theme.load(name, userDirectory: nil, shippedDirectory: Self.shipped)
        let text = try String(contentsOfFile: Self.shipped + "/\(name).theme", encoding: .utf8)
        for (key, _) in Theme.keys { #expect(text.contains("theme[\(key)]="), "\(name) lacks \(key)") }
        if name == "default" { #expect(theme.colors == Theme.builtIn.colors) }
        if name == "ansi16" {
            #expect(
                theme.colors.values.allSatisfy { if case .rgb = $0 { false } else { true } }, "only palette colours")
        }
        let readme = try String(contentsOfFile: Self.shipped + "/README.md", encoding: .utf8)
        for (key, _) in Theme.keys { #expect(readme.contains("| `\(key)` |")) }
    }

    @Test("values: hex, grey, decimals, palette index and empty")
    func values() {
        #expect(Theme.color("#1a2b3c") == .rgb(0x1a, 0x2b, 0x3c))
        #expect(Theme.color("#80") == .rgb(0x80, 0x80, 0x80))
        #expect(Theme.color("10 20 30") == .rgb(10, 20, 30))
        #expect(Theme.color("15") == .ansi(15))
        #expect(Theme.color("") == .terminalDefault)
        for bad in ["#12345", "#gggggg", "16", "1 2", "256 0 0", "red", "-1"] {
            #expect(Theme.color(bad) == nil, "\(bad)")
        }
    }

    @Test(
        "each kind of bad line is refused with its file and line number",
        arguments: [
            (
                "theme[main_fg]=\"#ffffff\"\nthem[title]=\"#000000\"",
                "t.theme:2: 'them[title]=\"#000000\"' is not theme[key]"
            ),
            ("# comment\n\ntheme[colour]=\"#ffffff\"", "t.theme:3: unknown key 'colour'; valid keys: main_bg"),
            ("theme[main_fg]=\"#fffff\"", "t.theme:1: main_fg = '#fffff' is not a colour"),
            ("theme[main_fg]=\"1\"\ntheme[main_fg]=\"2\"", "t.theme:2: key 'main_fg' is set twice"),
            ("theme[main_fg]", "t.theme:1: 'theme[main_fg]' is not theme[key]"),
            // A huge value is shown by its start and length, not echoed whole.
            (
                "theme[main_fg]=\"" + String(repeating: "x", count: 60_000) + "\"",
                "t.theme:1: main_fg = '" + String(repeating: "x", count: 60) + "… (60000 characters)' is not a colour"
            ),
        ])
    func badLines(text: String, expected: String) {
        let refusal = #expect(throws: Theme.ThemeError.self) { try Theme(parsing: text, name: "t", file: "t.theme") }
        #expect(refusal?.description.hasPrefix(expected) == true, "\(refusal?.description ?? "accepted")")
    }

    @Test("a theme with its own background paints every cell of the screen with it, overlays included")
    func paintsItsBackground() throws {
        let light = try Theme.load("light", userDirectory: nil, shippedDirectory: Self.shipped)
        var state = try DashboardStateTests.state()
        for showsHelp in [false, true] {
            state.showsHelp = showsHelp
            let buffer = DashboardView.render(state, width: 120, height: 40, theme: light)
            let unpainted = buffer.cells.filter { $0.style.background == .terminalDefault && !$0.style.reverse }
            #expect(unpainted.isEmpty, "\(unpainted.count) cells show the terminal's own background")
            #expect(!buffer.cells.contains { $0.style.foreground == .terminalDefault })
        }
        // The built-in (dark) theme uses the terminal's colours and is left as it is.
        let dark = DashboardView.render(state, width: 120, height: 40, theme: .builtIn)
        #expect(dark.cells.contains { $0.style.background == .terminalDefault } == (Theme.builtIn["main_bg"] == .terminalDefault))
    }

    @Test("a missing theme lists what is available; the user's folder comes before the shipped one")
    func search() throws {
        do {
            _ = try Theme.load("nope", userDirectory: nil, shippedDirectory: Self.shipped); Issue.record("found")
        } catch {
            #expect(error.description.contains("available: ansi16, default, high-contrast, light"))
        }
        let user = FileManager.default.temporaryDirectory.appendingPathComponent("emergent-themes-\(getpid())")
        try FileManager.default.createDirectory(at: user, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: user) }
        try Data("theme[main_fg]=\"#010203\"\n".utf8).write(to: user.appendingPathComponent("light.theme"))
        let theme = try Theme.load("light", userDirectory: user.path, shippedDirectory: Self.shipped)
        #expect(theme["main_fg"] == .rgb(1, 2, 3) && theme["title"] == Theme.builtIn["title"])
        #expect(Theme.userDirectory(environment: ["XDG_CONFIG_HOME": "/x"]) == "/x/emergent/themes")
        #expect(Theme.userDirectory(environment: ["HOME": "/home/u"]) == "/home/u/.config/emergent/themes")
    }

    @Test("the colour ladder: 24-bit to the xterm-256 cube or grey ramp, to 16 and 8 ANSI colours, to monochrome")
    func ladder() {
        #expect(TerminalColor.xterm256(255, 0, 0) == 196)
        #expect(TerminalColor.xterm256(0, 0, 0) == 16)
        #expect(TerminalColor.xterm256(128, 128, 128) == 244)
        #expect(TerminalColor.xterm256(95, 135, 175) == 16 + 36 * 1 + 6 * 2 + 3)
        let orange = TerminalColor.rgb(255, 140, 66)
        #expect(orange.reduced(to: .trueColor) == orange)
        #expect(orange.reduced(to: .palette256) == .ansi(TerminalColor.xterm256(255, 140, 66)))
        #expect(TerminalColor.rgb(250, 250, 250).reduced(to: .ansi16) == .ansi(15))
        #expect(TerminalColor.rgb(200, 10, 10).reduced(to: .ansi8) == .ansi(1))
        #expect(TerminalColor.ansi(12).reduced(to: .ansi8) == .ansi(4))
        #expect(orange.reduced(to: .monochrome) == .terminalDefault)
    }
}
