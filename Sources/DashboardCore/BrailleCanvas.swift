/// A dot canvas drawn with braille characters: each cell holds 2 × 4 dots, so a chart of
/// w × h cells has 2w × 4h points. Dots are addressed from the top-left; each cell keeps the
/// colour of the last series that set one of its dots, so overlaid runs stay apart.
public struct BrailleCanvas: Sendable {
    public let width: Int
    public let height: Int
    private var bits: [UInt8]
    private var colors: [TerminalColor?]

    public init(width: Int, height: Int) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        bits = Array(repeating: 0, count: self.width * self.height)
        colors = Array(repeating: nil, count: self.width * self.height)
    }

    public var dotWidth: Int { 2 * width }
    public var dotHeight: Int { 4 * height }

    /// The bit of dot (column, row) within its cell, in Unicode's braille numbering
    /// (dots 1–3 and 7 down the left column, 4–6 and 8 down the right).
    static func bit(column: Int, row: Int) -> UInt8 {
        let left: [UInt8] = [0x01, 0x02, 0x04, 0x40], right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
        return column == 0 ? left[row] : right[row]
    }

    /// Sets the dot at (x, y) in dot coordinates; points outside are ignored.
    public mutating func set(x: Int, y: Int, color: TerminalColor? = nil) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let index = (y / 4) * width + x / 2
        bits[index] |= Self.bit(column: x % 2, row: y % 4)
        if let color { colors[index] = color }
    }

    /// A straight line of dots between two points (Bresenham).
    public mutating func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int), color: TerminalColor? = nil) {
        var (x, y) = start
        let dx = abs(end.x - x), dy = -abs(end.y - y)
        let sx = x < end.x ? 1 : -1, sy = y < end.y ? 1 : -1
        var error = dx + dy
        // Bounded by the longer side, so a far-off point costs no more than the canvas.
        for _ in 0...(max(dx, -dy)) {
            set(x: x, y: y, color: color)
            if x == end.x && y == end.y { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }

    /// The character of a cell: U+2800 plus its dot bits (a blank braille cell is a space).
    public func character(x: Int, y: Int) -> Character {
        let value = bits[y * width + x]
        return value == 0 ? " " : Character(Unicode.Scalar(0x2800 + UInt32(value))!)
    }

    /// Copies the canvas into `buffer` at `origin`; set cells take `style` with their colour.
    public func draw(into buffer: inout CellBuffer, at origin: (x: Int, y: Int), style: Style = .plain) {
        for y in 0..<height {
            for x in 0..<width where bits[y * width + x] != 0 {
                var cellStyle = style
                if let color = colors[y * width + x] { cellStyle.foreground = color }
                buffer[origin.x + x, origin.y + y] = CellBuffer.Cell(character(x: x, y: y), style: cellStyle)
            }
        }
    }
}
