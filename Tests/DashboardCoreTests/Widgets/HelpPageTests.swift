@testable import DashboardCore
@testable import EmergentCore
import Foundation
import Testing

/// The help must be readable whole at every size: inside its box, no word cut, every
/// glossary word reachable by scrolling.
@Suite("The help page: every line inside its box, wrapped at words, all of it reachable")
struct HelpPageTests {
    @Test("at 80×24, 120×40 and 200×60: the box's edges are intact on every row and scrolling down shows every glossary word", arguments: [(80, 24), (120, 40), (200, 60)])
    func readableWhole(width: Int, height: Int) throws {
        var state = DashboardState(experiment: "test", dataset: "d", model: "mlp")
        _ = state.handle(.snapshots(try SeedGroupFiguresTests.members(steps: [5]), elapsed: 1, cpu: nil))
        _ = state.handle(.resized(width: width, height: height))
        _ = state.handle(.key(.character("?")))
        var seen = ""
        for _ in 0..<80 {
            let screen = DashboardView.render(state, width: width, height: height, theme: .builtIn).text
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
            let top = try #require(lines.firstIndex { String($0).contains("keys · Esc closes") })
            let left = try #require(lines[top].firstIndex(of: "╭")), right = try #require(lines[top].lastIndex(of: "╮"))
            for row in lines[(top + 1)...] {
                if row.count > right, row[left] == "╰" { break }
                #expect(row.count > right && row[left] == "│" && row[right] == "│", "a line runs over the box: \(String(row))")
                seen += String(row) + "\n"
            }
            _ = state.handle(.key(.down))
        }
        let words = Set(DashboardView.glossary.joined(separator: " ").split(separator: " ").map(String.init))
        let shown = Set(seen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).map(String.init))
        #expect(words.subtracting(shown).isEmpty, "cut or missing words: \(words.subtracting(shown).sorted())")
    }

    @Test("wrapping continues under the meaning and never cuts a word")
    func wrapping() {
        let lines = DashboardView.wrapped("samples/s   each run's real progress over the last 10 s; the header sums them", width: 40)
        #expect(lines.count > 1 && lines.allSatisfy { $0.count <= 40 }, "\(lines)")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(String(repeating: " ", count: 12)) && !$0.hasPrefix(String(repeating: " ", count: 13)) })
        #expect(lines.joined(separator: " ").split(separator: " ") == "samples/s   each run's real progress over the last 10 s; the header sums them".split(separator: " "))
    }
}
