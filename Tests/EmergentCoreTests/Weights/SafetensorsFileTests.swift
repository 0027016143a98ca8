import Foundation
import Testing

@testable import EmergentCore

/// The safetensors format byte by byte: what Emergent writes reads back equal, and every
/// way a file can be damaged or foreign is refused naming the file and the tensor.
@Suite("safetensors files: writing, and a strict reader")
struct SafetensorsFileTests {
    static let file = SafetensorsFile(
        tensors: [
            .init(name: "dense1.weight", shape: [2, 3], values: [1, -2, 0.5, 3e-8, .pi, -0]),
            .init(name: "dense1.bias", shape: [2], values: [0.25, -0.75]),
            .init(name: "scalar", shape: [], values: [42]),
        ], metadata: ["init": "emergence:alpha=1.2", "format": "emergent"])

    /// A file whose header is `header` (padded to 8 bytes) followed by `data`.
    static func bytes(header: String, data: [UInt8]) -> [UInt8] {
        var text = Array(header.utf8)
        while text.count % 8 != 0 { text.append(0x20) }
        var result: [UInt8] = []
        withUnsafeBytes(of: UInt64(text.count).littleEndian) { result += $0 }
        return result + text + data
    }

    static func refusal(_ bytes: [UInt8]) -> String {
        do {
            _ = try SafetensorsFile(decoding: bytes, path: "w.safetensors")
            return "read without an error"
        } catch { return error.description }
    }

    @Test("written and read back: every value bit for bit, the shapes, the metadata; the header padded to 8 bytes and the data after it in order")
    func roundTrip() throws {
        let bytes = Self.file.encoded()
        let read = try SafetensorsFile(decoding: bytes, path: "w.safetensors")
        #expect(read.tensors.map(\.name) == ["dense1.weight", "dense1.bias", "scalar"])
        #expect(read.tensors.map(\.shape) == [[2, 3], [2], []])
        #expect(read.tensors.flatMap(\.values).map(\.bitPattern) == Self.file.tensors.flatMap(\.values).map(\.bitPattern))
        #expect(read.metadata == Self.file.metadata)
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect(headerLength % 8 == 0 && bytes.count == 8 + headerLength + 4 * 9)
        // float32 little-endian: 1.0 is 00 00 80 3F.
        #expect(Array(bytes[(8 + headerLength)..<(8 + headerLength + 4)]) == [0, 0, 0x80, 0x3F])
    }

    @Test("float64, float16 and bfloat16 are read as float32")
    func otherDtypes() throws {
        var data: [UInt8] = []
        withUnsafeBytes(of: (1.0 / 3.0).bitPattern.littleEndian) { data += $0 }
        withUnsafeBytes(of: Float16(-1.5).bitPattern.littleEndian) { data += $0 }
        data += [0x80, 0x3F]  // bfloat16 1.0: the high half of float32 1.0
        let header = #"{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[1],"data_offsets":[8,10]},"c":{"dtype":"BF16","shape":[1],"data_offsets":[10,12]}}"#
        let read = try SafetensorsFile(decoding: Self.bytes(header: header, data: data), path: "w.safetensors")
        #expect(read.tensors.map(\.values) == [[Float(1.0 / 3.0)], [-1.5], [1]])
    }

    @Test("damaged or foreign files are refused, each naming the file, the tensor and what was expected")
    func strictReader() {
        let good = Self.file.encoded()
        let cases: [([UInt8], String)] = [
            ([1, 2, 3], "w.safetensors: is 3 bytes long: a safetensors file starts with an 8-byte header length"),
            (Array(good.prefix(40)), "its header length (\(Int(good[0]) | Int(good[1]) << 8) bytes) runs past the end of the file (40 bytes)"),
            ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F] + Array(repeating: 0, count: 8), "runs past the end of the file (16 bytes)"),
            (Array(good.dropLast(4)), "tensor 'scalar' ends at byte 36 of the data, which holds 32 bytes: the file is truncated"),
            (Self.bytes(header: "[1]", data: []), "its header is a list, not an object"),
            (Self.bytes(header: #"{"a": "#, data: []), "its header is not JSON: line 1, column"),
            (Self.bytes(header: #"{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
             "tensor 'a' has dtype 'I64'; Emergent reads F32, F64, F16 and BF16"),
            (Self.bytes(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
             "tensor 'a' has shape [3] of F32 (12 bytes) but 8 bytes of data"),
            (Self.bytes(header: #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: Array(repeating: 0, count: 4)),
             "tensor 'a': shape holds -1, not a whole number ≥ 0"),
            (Self.bytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, data: Array(repeating: 0, count: 4)),
             "tensor 'a': data_offsets must be [begin, end] with begin ≤ end"),
            (Self.bytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: Array(repeating: 0, count: 8)),
             "bytes 0..<4 of the data belong to no tensor (before tensor 'a')"),
            (Self.bytes(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: Array(repeating: 0, count: 8)),
             "tensor 'b' (bytes 4..<8) overlaps another tensor"),
            (Self.bytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: Array(repeating: 0, count: 8)),
             "the data holds 8 bytes but the tensors end at byte 4"),
            (Self.bytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: Array(repeating: 0, count: 8)),
             "its header is not JSON"),
            (Self.bytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"strides":[1]}}"#, data: Array(repeating: 0, count: 4)),
             "tensor 'a' has an unknown key 'strides'"),
            (Self.bytes(header: #"{"__metadata__":{"version":2}}"#, data: []), "__metadata__ key 'version' is a number, not a string"),
            (Self.bytes(header: #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, data: Array(repeating: 0, count: 4)),
             "tensor 'a': shape holds 4294967296, not a whole number ≥ 0"),
        ]
        for (bytes, expected) in cases {
            let message = Self.refusal(bytes)
            #expect(message.hasPrefix("w.safetensors: ") && message.contains(expected), "\(message)")
        }
    }

    @Test("reading a missing file names it; writing into a missing folder names the path and leaves nothing")
    func files() throws {
        let root = try TestFiles.directory("safetensors").path
        let missing = #expect(throws: WeightsError.self) { try SafetensorsFile.read(path: root + "/none.safetensors") }
        #expect(missing?.description == "\(root)/none.safetensors: no such file")
        let refused = #expect(throws: WeightsError.self) { try Self.file.write(to: root + "/no/such/w.safetensors") }
        #expect(refused?.path == root + "/no/such/w.safetensors")
        try Self.file.write(to: root + "/w.safetensors")
        #expect(try SafetensorsFile.read(path: root + "/w.safetensors") == Self.file)
    }
}
