/// A colour as a theme names it: the terminal's default, one of its 16 palette entries
/// (which follow the user's own light or dark palette), or 24-bit RGB. `reduced(to:)` walks
/// the colour ladder down to what the terminal can show.
public enum TerminalColor: Sendable, Hashable {
    case terminalDefault
    case ansi(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    /// The colour depths of the ladder, best first.
    public enum Depth: Int, Sendable, Comparable, CaseIterable {
        case monochrome = 1, ansi8 = 8, ansi16 = 16, palette256 = 256, trueColor = 16_777_216
        public static func < (lhs: Depth, rhs: Depth) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The 16 standard ANSI colours as xterm draws them, for nearest-colour matching.
    static let ansiPalette: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
        (255, 255, 255),
    ]

    /// The six levels of the xterm 6×6×6 cube.
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// This colour as the given depth shows it: RGB becomes the nearest xterm-256 entry (the
    /// grey ramp when r ≈ g ≈ b, else the cube, as btop does), then the nearest of the 16 or 8
    /// ANSI colours; monochrome keeps only the default.
    public func reduced(to depth: Depth) -> TerminalColor {
        switch (self, depth) {
        case (.terminalDefault, _), (_, .trueColor): return self
        case (_, .monochrome): return .terminalDefault
        case let (.ansi(index), .ansi8): return .ansi(index % 8)
        case (.ansi, _): return self
        case let (.rgb(r, g, b), .palette256): return .ansi(Self.xterm256(r, g, b))
        case let (.rgb(r, g, b), .ansi16): return .ansi(Self.nearestANSI(r, g, b, among: 16))
        case let (.rgb(r, g, b), .ansi8): return .ansi(Self.nearestANSI(r, g, b, among: 8))
        }
    }

    /// The xterm-256 index of an RGB colour.
    public static func xterm256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let (ri, gi, bi) = (Int(r), Int(g), Int(b))
        if abs(ri - gi) < 8 && abs(gi - bi) < 8 && abs(ri - bi) < 8 {
            let grey = (ri + gi + bi) / 3
            if grey < 4 { return 16 }
            if grey > 246 { return 231 }
            return UInt8(232 + min((grey - 3) / 10, 23))
        }
        func level(_ value: Int) -> Int {
            cubeLevels.indices.min { abs(cubeLevels[$0] - value) < abs(cubeLevels[$1] - value) }!
        }
        return UInt8(16 + 36 * level(ri) + 6 * level(gi) + level(bi))
    }

    /// An entry of the xterm 6×6×6 cube (16...231) as RGB, so that it reduces like any other
    /// colour on terminals with fewer colours.
    public static func cube(_ index: Int) -> TerminalColor {
        let entry = min(max(index, 16), 231) - 16
        return .rgb(
            UInt8(cubeLevels[entry / 36]), UInt8(cubeLevels[entry / 6 % 6]), UInt8(cubeLevels[entry % 6]))
    }

    static func nearestANSI(_ r: UInt8, _ g: UInt8, _ b: UInt8, among count: Int) -> UInt8 {
        func distance(_ c: (UInt8, UInt8, UInt8)) -> Int {
            let dr = Int(c.0) - Int(r), dg = Int(c.1) - Int(g), db = Int(c.2) - Int(b)
            return dr * dr + dg * dg + db * db
        }
        return UInt8(ansiPalette.prefix(count).indices.min { distance(ansiPalette[$0]) < distance(ansiPalette[$1]) }!)
    }
}
