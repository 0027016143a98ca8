/// One IDX file (the MNIST format): magic `00 00 08 n`, n big-endian UInt32 dimensions,
/// then exactly the product of the dimensions in unsigned bytes.
public struct IDXFile {
    public let dimensions: [Int]
    public let values: [UInt8]

    /// Parses `bytes` read from `file`, expecting `rank` dimensions.
    public init(bytes: [UInt8], file: String, rank: Int) throws(DatasetError) {
        guard bytes.count >= 4 else {
            throw .truncated(file: file, expectedBytes: 4, actualBytes: bytes.count)
        }
        let expectedMagic = [0, 0, 0x08, UInt8(rank)]
        guard Array(bytes[0..<4]) == expectedMagic else {
            throw .badMagic(file: file, found: Self.hex(bytes[0..<4]), expected: Self.hex(expectedMagic[...]))
        }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw .truncated(file: file, expectedBytes: headerSize, actualBytes: bytes.count)
        }
        let dimensions = (0..<rank).map { d in
            (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * d + $1]) }
        }
        // Dimensions are 32-bit each, so their product can overflow 64 bits.
        var payload = 1
        for dimension in dimensions {
            let (product, overflow) = payload.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw .badDimensions(
                    file: file, found: dimensions,
                    expected:
                        "dimensions whose product (the bytes after the header) fits in the file's \(bytes.count - headerSize) bytes"
                )
            }
            payload = product
        }
        guard bytes.count >= headerSize + payload else {
            throw .truncated(file: file, expectedBytes: headerSize + payload, actualBytes: bytes.count)
        }
        guard bytes.count == headerSize + payload else {
            throw .trailingBytes(file: file, expectedBytes: headerSize + payload, actualBytes: bytes.count)
        }
        self.dimensions = dimensions
        values = Array(bytes[headerSize...])
    }

    private static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined(separator: " ")
    }
}
