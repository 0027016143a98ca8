import Foundation

/// TensorBoard's event file: TFRecord framing (length, masked CRC-32C of the length, the
/// record, masked CRC-32C of the record) around `Event` protocol buffers — a `file_version`
/// record first, then one scalar `Summary` per point. Encoded by hand: four fields of two
/// messages do not need a protobuf library.
public enum TensorBoardEvents {
    /// The file's bytes for `records` (each becomes one `Event` with a `simple_value`).
    public static func file(_ records: [MetricRecord], created: Double) -> [UInt8] {
        var bytes: [UInt8] = []
        append(record: event(wallTime: created, step: 0, fileVersion: "brain.Event:2"), to: &bytes)
        for record in records {
            append(
                record: event(
                    wallTime: record.wallTime, step: record.step, tag: record.key, value: Float(record.value)),
                to: &bytes)
        }
        return bytes
    }

    /// `events.out.tfevents.<seconds>.<host>`, the name TensorBoard looks for.
    public static func fileName(created: Double) -> String {
        let host = HostName.current
        return
            "events.out.tfevents.\(Int(created)).\(host.split(separator: ".").first.map(String.init) ?? "localhost").emergent"
    }

    static func append(record: [UInt8], to bytes: inout [UInt8]) {
        var length: [UInt8] = []
        withUnsafeBytes(of: UInt64(record.count).littleEndian) { length += $0 }
        bytes += length
        withUnsafeBytes(of: CRC32C.masked(CRC32C.checksum(length)).littleEndian) { bytes += $0 }
        bytes += record
        withUnsafeBytes(of: CRC32C.masked(CRC32C.checksum(record)).littleEndian) { bytes += $0 }
    }

    static func event(
        wallTime: Double, step: Int, fileVersion: String? = nil, tag: String? = nil, value: Float = 0
    ) -> [UInt8] {
        var message: [UInt8] = [0x09]  // field 1, 64-bit: wall_time
        withUnsafeBytes(of: wallTime.bitPattern.littleEndian) { message += $0 }
        message += [0x10] + varint(UInt64(bitPattern: Int64(step)))  // field 2, varint: step
        if let fileVersion { message += lengthDelimited(3, Array(fileVersion.utf8)) }
        if let tag {
            // Summary.Value: tag (1, string), simple_value (2, 32-bit float).
            var summaryValue = lengthDelimited(1, Array(tag.utf8)) + [0x15]
            withUnsafeBytes(of: value.bitPattern.littleEndian) { summaryValue += $0 }
            let summary = lengthDelimited(1, summaryValue)  // Summary.value (repeated)
            message += lengthDelimited(5, summary)  // Event.summary
        }
        return message
    }

    static func lengthDelimited(_ field: UInt64, _ payload: [UInt8]) -> [UInt8] {
        varint(field << 3 | 2) + varint(UInt64(payload.count)) + payload
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value, bytes: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value != 0
        return bytes
    }
}
