import Foundation

/// A safetensors file, the format PyTorch users load with `safetensors.torch.load_file`: an
/// 8-byte little-endian header length, a JSON header giving each tensor's dtype, shape and
/// byte range (and an optional `__metadata__` object of strings), then the tensors' bytes,
/// little-endian, back to back. Emergent writes float32 and reads float32, float64, float16
/// and bfloat16 (as float32). The reader is strict: the header, every byte range and the data
/// must agree exactly, and anything else is refused naming the file and the tensor.
public struct SafetensorsFile: Sendable, Equatable {
    public struct Tensor: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        public let values: [Float]

        public init(name: String, shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count, "\(name): \(values.count) values for shape \(shape)")
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// In file order.
    public var tensors: [Tensor]
    public var metadata: [String: String]

    /// The dtypes read, with their size in bytes.
    static let dtypes: [String: Int] = ["F32": 4, "F64": 8, "F16": 2, "BF16": 2]
    /// The reference implementation refuses headers over 100 MB; so does this reader.
    static let headerLimit = 100_000_000

    public init(tensors: [Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public func tensor(named name: String) -> Tensor? { tensors.first { $0.name == name } }

    // MARK: - Writing

    /// The file's bytes: float32 tensors in order, the header padded with spaces to 8 bytes
    /// (as the reference implementation pads it, so the data stays aligned).
    public func encoded() -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = []
        if !metadata.isEmpty {
            members.append(
                ("__metadata__", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })))
        }
        var offset = 0
        for tensor in tensors {
            let end = offset + 4 * tensor.values.count
            members.append(
                (
                    tensor.name,
                    .object([
                        ("dtype", .string("F32")), ("shape", .array(tensor.shape.map(Self.integer))),
                        ("data_offsets", .array([Self.integer(offset), Self.integer(end)])),
                    ])
                ))
            offset = end
        }
        var header = Array(JSONValue.object(members).text().utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header
        for tensor in tensors {
            for value in tensor.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        }
        return bytes
    }

    private static func integer(_ value: Int) -> JSONValue { .number(Double(value), text: String(value)) }

    /// Writes the file whole or not at all (a temporary file renamed into place).
    public func write(to path: String) throws(WeightsError) {
        do { try AtomicFile.write(encoded(), to: path) } catch { throw WeightsError(path: path, error.description) }
    }

    // MARK: - Reading

    public static func read(path: String) throws(WeightsError) -> SafetensorsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw WeightsError(path: path, exists ? "cannot be read" : "no such file")
        }
        return try SafetensorsFile(decoding: Array(data), path: path)
    }

    /// Reads `bytes`; `path` names the file in errors.
    public init(decoding bytes: [UInt8], path: String) throws(WeightsError) {
        func fail(_ message: String) -> WeightsError { WeightsError(path: path, message) }
        guard bytes.count >= 8 else {
            throw fail("is \(bytes.count) bytes long: a safetensors file starts with an 8-byte header length")
        }
        let length = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(bytes.count - 8) else {
            throw fail("its header length (\(length) bytes) runs past the end of the file (\(bytes.count) bytes): it is truncated or not a safetensors file")
        }
        guard length <= UInt64(Self.headerLimit) else {
            throw fail("its header length (\(length) bytes) is over the 100 MB a safetensors header may take")
        }
        let headerEnd = 8 + Int(length)
        guard let text = String(validating: bytes[8..<headerEnd], as: UTF8.self) else {
            throw fail("its header is not UTF-8 text")
        }
        let header: JSONValue
        do { header = try JSONParser.parse(text) } catch { throw fail("its header is not JSON: \(error.description)") }
        guard case let .object(members) = header else { throw fail("its header is \(header.kind), not an object") }
        let dataCount = bytes.count - headerEnd
        var entries: [(name: String, shape: [Int], dtype: String, begin: Int, end: Int)] = []
        var metadata: [String: String] = [:]
        for (name, value) in members {
            if name == "__metadata__" {
                guard case let .object(pairs) = value else { throw fail("__metadata__ is \(value.kind), not an object of strings") }
                for (key, item) in pairs {
                    guard case let .string(string) = item else {
                        throw fail("__metadata__ key '\(key)' is \(item.kind), not a string")
                    }
                    metadata[key] = string
                }
                continue
            }
            entries.append(try Self.entry(name, value, dataCount: dataCount, fail: fail))
        }
        // The tensors tile the data exactly: no gap, no overlap, nothing after the last.
        var next = 0
        for entry in entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            guard entry.begin == next else {
                throw fail(
                    entry.begin > next
                        ? "bytes \(next)..<\(entry.begin) of the data belong to no tensor (before tensor '\(entry.name)')"
                        : "tensor '\(entry.name)' (bytes \(entry.begin)..<\(entry.end)) overlaps another tensor")
            }
            next = entry.end
        }
        guard next == dataCount else {
            throw fail("the data holds \(dataCount) bytes but the tensors end at byte \(next)")
        }
        tensors = entries.map { entry in
            Tensor(
                name: entry.name, shape: entry.shape,
                values: Self.floats(bytes, from: headerEnd + entry.begin, to: headerEnd + entry.end, dtype: entry.dtype))
        }
        self.metadata = metadata
    }

    /// One tensor's header entry, checked against the data's length.
    private static func entry(
        _ name: String, _ value: JSONValue, dataCount: Int, fail: (String) -> WeightsError
    ) throws(WeightsError) -> (name: String, shape: [Int], dtype: String, begin: Int, end: Int) {
        guard case let .object(fields) = value else { throw fail("tensor '\(name)' is \(value.kind), not an object") }
        for (key, _) in fields where !["dtype", "shape", "data_offsets"].contains(key) {
            throw fail("tensor '\(name)' has an unknown key '\(key)' (dtype, shape and data_offsets are the keys)")
        }
        guard case let .string(dtype)? = value["dtype"] else { throw fail("tensor '\(name)' has no dtype string") }
        guard let size = dtypes[dtype] else {
            throw fail("tensor '\(name)' has dtype '\(dtype)'; Emergent reads F32, F64, F16 and BF16")
        }
        func integers(_ key: String) throws(WeightsError) -> [Int] {
            guard case let .array(items)? = value[key] else { throw fail("tensor '\(name)' has no \(key) list") }
            var result: [Int] = []
            for item in items {
                guard let number = item.numberValue, let integer = Int(exactly: number), integer >= 0,
                    integer <= Int(Int32.max)
                else { throw fail("tensor '\(name)': \(key) holds \(item.text()), not a whole number ≥ 0") }
                result.append(integer)
            }
            return result
        }
        let shape = try integers("shape")
        let offsets = try integers("data_offsets")
        guard offsets.count == 2, offsets[0] <= offsets[1] else {
            throw fail("tensor '\(name)': data_offsets must be [begin, end] with begin ≤ end")
        }
        guard offsets[1] <= dataCount else {
            throw fail("tensor '\(name)' ends at byte \(offsets[1]) of the data, which holds \(dataCount) bytes: the file is truncated")
        }
        let (count, overflow) = shape.reduce((1, false)) { partial, dimension in
            let product = partial.0.multipliedReportingOverflow(by: dimension)
            return (product.partialValue, partial.1 || product.overflow)
        }
        guard !overflow, count.multipliedReportingOverflow(by: size).partialValue == offsets[1] - offsets[0] else {
            throw fail(
                "tensor '\(name)' has shape \(shape) of \(dtype) (\(overflow ? "too many" : String(count * size)) bytes) "
                    + "but \(offsets[1] - offsets[0]) bytes of data")
        }
        return (name, shape, dtype, offsets[0], offsets[1])
    }

    /// The little-endian values of bytes `from..<to` as float32.
    private static func floats(_ bytes: [UInt8], from: Int, to: Int, dtype: String) -> [Float] {
        func word(_ at: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
        }
        let size = dtypes[dtype]!
        return stride(from: from, to: to, by: size).map { at in
            switch dtype {
            case "F64": Float(Double(bitPattern: word(at, 8)))
            case "F16": Float(Float16(bitPattern: UInt16(word(at, 2))))
            case "BF16": Float(bitPattern: UInt32(word(at, 2)) << 16)
            default: Float(bitPattern: UInt32(word(at, 4)))
            }
        }
    }
}
