/// The screen as plain values: a grid of characters with styles, which widgets draw into and
/// the terminal backend copies to curses. Nothing is ever written outside the grid, and text
/// is clipped to the width it is given, so no size of terminal can garble the screen.
public struct CellBuffer: Sendable, Equatable {
    public struct Cell: Sendable, Hashable {
        public var character: Character
        public var style: Style

        public init(_ character: Character = " ", style: Style = .plain) {
            self.character = character
            self.style = style
        }
    }

    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = Cell()) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// Changes every cell's style in place.
    mutating func restyle(_ change: (inout Style) -> Void) {
        for index in cells.indices { change(&cells[index].style) }
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { if x >= 0, y >= 0, x < width, y < height { cells[y * width + x] = newValue } }
    }

    /// Writes `text` from (x, y) to the right, one cell per character, cut at `maxWidth`
    /// cells and at the buffer's edge. Returns the cells written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int = .max) -> Int {
        guard y >= 0, y < height else { return 0 }
        var column = x, written = 0
        for character in text {
            guard written < maxWidth, column < width else { break }
            if column >= 0, !character.isNewline { self[column, y] = Cell(character, style: style) }
            column += 1
            written += 1
        }
        return written
    }

    /// Fills a rectangle (clipped to the buffer) with one cell.
    public mutating func fill(_ rect: Rect, with cell: Cell = Cell()) {
        let area = rect.intersection(bounds)
        for y in area.y..<(area.y + area.height) {
            for x in area.x..<(area.x + area.width) { self[x, y] = cell }
        }
    }

    /// The characters row by row, trailing spaces trimmed: what a golden file holds.
    public var text: String {
        (0..<height).map { y in
            var line = String(cells[(y * width)..<((y + 1) * width)].map(\.character))
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
