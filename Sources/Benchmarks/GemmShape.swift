import Foundation

/// The size of one matrix product `C[M×N] = A[M×K]·B[K×N]`, written `MxKxN` as in the
/// performance spec.
public struct GemmShape: Sendable, Hashable, Codable, CustomStringConvertible {
    public let m: Int
    public let k: Int
    public let n: Int
    /// Where the shape comes from ("mlp layer 1", "conv2 im2col, one image").
    public let label: String

    /// Largest accepted side: 65,536 keeps one operand under 16 GiB even when square.
    public static let maximumSide = 65_536

    public init(m: Int, k: Int, n: Int, label: String = "") {
        self.m = m
        self.k = k
        self.n = n
        self.label = label
    }

    public var description: String { "\(m)x\(k)x\(n)" }

    /// Floating-point operations of one product (a multiply and an add per term).
    public var flops: Double { 2 * Double(m) * Double(k) * Double(n) }

    /// Parses `MxKxN` (or one number for a cube), each side in 1...maximumSide.
    public init(parsing text: String) throws(ShapeError) {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 3 || parts.count == 1 else { throw .malformed(text) }
        var sides: [Int] = []
        for part in parts {
            guard let side = Int(part) else { throw .malformed(text) }
            guard (1...Self.maximumSide).contains(side) else {
                throw .outOfRange(text, side: side)
            }
            sides.append(side)
        }
        if sides.count == 1 { sides = [sides[0], sides[0], sides[0]] }
        // A, B and C in Float32 (and packing scratch, much smaller) must fit in memory.
        let bytes =
            4
            * (Double(sides[0]) * Double(sides[1]) + Double(sides[1]) * Double(sides[2]) + Double(sides[0])
                * Double(sides[2]))
        let limit = Double(ProcessInfo.processInfo.physicalMemory) / 2
        guard bytes <= limit else {
            throw .tooLarge(text, gibibytes: bytes / 1_073_741_824, limit: limit / 1_073_741_824)
        }
        // A standard shape keeps its name when typed by hand.
        let label = Self.standard.first { $0.m == sides[0] && $0.k == sides[1] && $0.n == sides[2] }?.label
        self.init(m: sides[0], k: sides[1], n: sides[2], label: label ?? "custom")
    }

    public enum ShapeError: Error, CustomStringConvertible {
        case malformed(String)
        case outOfRange(String, side: Int)
        case tooLarge(String, gibibytes: Double, limit: Double)

        public var description: String {
            switch self {
            case let .malformed(text):
                "shape '\(text)' is not MxKxN (three positive integers joined by 'x', e.g. 128x784x256) or one integer for a cube"
            case let .outOfRange(text, side):
                "shape '\(text)': size \(side) is out of range; each size must be in 1...\(GemmShape.maximumSide)"
            case let .tooLarge(text, gibibytes, limit):
                String(
                    format:
                        "shape '%@' needs %.1f GiB for its three matrices; at most %.1f GiB (half of this machine's memory) is allowed",
                    text, gibibytes, limit)
            }
        }
    }

    /// The shapes of `performance.md`: the reference MLP's layers, square products, and the
    /// reference CNN's convolutions as per-image im2col products (pixels × 9·in × out).
    public static let standard: [GemmShape] = [
        GemmShape(m: 128, k: 784, n: 256, label: "mlp first layer"),
        GemmShape(m: 128, k: 256, n: 256, label: "mlp hidden layer"),
        GemmShape(m: 128, k: 256, n: 10, label: "mlp head"),
        GemmShape(m: 512, k: 512, n: 512, label: "square"),
        GemmShape(m: 1024, k: 1024, n: 1024, label: "square"),
        GemmShape(m: 784, k: 9, n: 32, label: "conv1 im2col, one image"),
        GemmShape(m: 196, k: 288, n: 64, label: "conv2 im2col, one image"),
        GemmShape(m: 784, k: 144, n: 32, label: "conv 16→32 im2col, one image"),
    ]
}
