import CZlib
import Foundation

/// Whole-file reads, transparently gunzipped, with errors that name the file.
enum FileBytes {
    /// The file's bytes.
    static func read(_ path: String) throws(DatasetError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path) }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe))
        } catch {
            throw .unreadable(file: path, reason: error.localizedDescription)
        }
    }

    /// The file's bytes, decompressed when they start with the gzip magic (1f 8b).
    static func readMaybeGzipped(_ path: String) throws(DatasetError) -> [UInt8] {
        let bytes = try read(path)
        return bytes.starts(with: [0x1F, 0x8B]) ? try gunzip(bytes, file: path) : bytes
    }

    /// Decompresses every gzip member of `bytes` (dictzip files are gzip with an extra
    /// header field, which zlib skips). A stream that ends early or fails its CRC is an error.
    static func gunzip(_ bytes: [UInt8], file: String) throws(DatasetError) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(bytes.count * 4)
        var stream = z_stream()
        // 15 window bits + 16: gzip framing only.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .brokenCompression(file: file, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var consumed = 0
        var failure: DatasetError?
        bytes.withUnsafeBufferPointer { input in
            chunk.withUnsafeMutableBufferPointer { chunk in
                memberLoop: while consumed < input.count {
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                    stream.avail_in = UInt32(input.count - consumed)
                    while true {
                        stream.next_out = chunk.baseAddress
                        stream.avail_out = UInt32(chunk.count)
                        let status = inflate(&stream, Z_NO_FLUSH)
                        output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                        if status == Z_STREAM_END {
                            consumed = input.count - Int(stream.avail_in)
                            // Another member may follow; trailing zero padding is tolerated as gzip does.
                            if input[consumed...].allSatisfy({ $0 == 0 }) { break memberLoop }
                            inflateReset(&stream)
                            continue memberLoop
                        }
                        if status == Z_OK { continue }
                        if status == Z_BUF_ERROR && stream.avail_in == 0 {
                            failure = .brokenCompression(
                                file: file, reason: "the stream ends early, the file is truncated")
                        } else {
                            let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                            failure = .brokenCompression(file: file, reason: message)
                        }
                        break memberLoop
                    }
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
