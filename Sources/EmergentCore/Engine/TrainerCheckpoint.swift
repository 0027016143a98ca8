import Foundation

/// A trainer's whole state at an epoch end: parameters, optimizer moments, every generator,
/// the layers' running statistics, the updater's warm-up, the live settings and the data
/// position. A trainer made from it goes on exactly as the uninterrupted one would.
///
/// On disk: the magic `EMERGCK1`, a JSON header, three float arrays (parameters and the two
/// optimizer moments, little-endian), then the CRC-32C of everything before it.
public struct TrainerCheckpoint: Sendable, Equatable {
    public struct Header: Sendable, Equatable, Codable {
        public var formatVersion = TrainerCheckpoint.formatVersion
        /// Steps and epochs done.
        public var step: Int
        public var epoch: Int
        /// The run's length, which may have changed live.
        public var epochs: Int
        public var wallTime: Double
        public var samplesPerSecond: Double
        /// The live settings: the schedule's peak rate, the optimizer (momentum, decay) and τ.
        public var learningRate: Double
        public var optimizer: OptimizerKind
        public var optimizerSteps: Int
        public var learningRateMultipliers: [String: Float]
        public var tau: Double
        public var initGenerator: SeededRandom
        public var updaterGenerator: SeededRandom
        public var initReport: InitReport?
        public var layers: [LayerState]
        public var updater: EmergentWeightUpdater.State?
        /// A checkpoint inside an epoch (a time limit's warning, `--checkpoint-minutes`): the
        /// batches of the epoch already trained, and the epoch's running sums (loss × samples,
        /// correct, samples counted) that its train/epoch_* values need. Nil at an epoch end.
        public var batchInEpoch: Int?
        public var epochSums: [Double]?
        /// Byte lengths of the run's logs when this was written (set by the run-folder writer),
        /// so a resume drops exactly the records of the epoch it lost.
        public var logBytes: [String: Int] = [:]
        /// Whose checkpoint this is (set by the run-folder writer, format 2 on): the run
        /// folder's name and the SHA-256 of its resolved configuration, so a checkpoint copied
        /// from another run is refused. Nil in format 1 files.
        public var run: String?
        public var configDigest: String?
    }

    /// 2 added `run` and `configDigest`; format 1 files still read (without identity).
    public static let formatVersion = 2
    public static let readableFormats = 1...2
    static let magic = Array("EMERGCK1".utf8)

    public var header: Header
    public var parameters: [Float]
    public var firstMoment: [Float]
    public var secondMoment: [Float]

    public var step: Int { header.step }
    public var epoch: Int { header.epoch }

    public init(header: Header, parameters: [Float], firstMoment: [Float], secondMoment: [Float]) {
        self.header = header
        self.parameters = parameters
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
    }

    /// The file's bytes, checksum last.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Every field is a plain value with a finite-or-named encoding: encoding cannot fail.
        let json = Array((try? encoder.encode(header)) ?? Data())
        var bytes = Self.magic
        bytes.reserveCapacity(64 + json.count + 4 * (parameters.count + firstMoment.count + secondMoment.count))
        append(UInt32(json.count), to: &bytes)
        bytes += json
        for array in [parameters, firstMoment, secondMoment] {
            append(UInt64(array.count), to: &bytes)
            #if _endian(little)
            array.withUnsafeBytes { bytes += $0 }
            #else
            array.withUnsafeBufferPointer { buffer in
                for value in buffer { append(value.bitPattern, to: &bytes) }
            }
            #endif
        }
        let checksum = bytes.withUnsafeBytes { CRC32C.checksum($0) }
        append(checksum, to: &bytes)
        return bytes
    }

    /// Reads a checkpoint's bytes; refused with the reason when the checksum, the magic or
    /// the layout is wrong.
    public init(decoding bytes: [UInt8]) throws(CheckpointError) {
        guard bytes.count >= Self.magic.count + 8, Array(bytes.prefix(Self.magic.count)) == Self.magic else {
            throw CheckpointError(reason: "it is not an Emergent checkpoint (no EMERGCK1 header)")
        }
        let stored = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self) }
        let computed = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0.dropLast(4))) }
        guard UInt32(littleEndian: stored) == computed else {
            throw CheckpointError(
                reason:
                    "its checksum fails (stored \(hex(stored)), computed \(hex(computed))): it is damaged or cut short")
        }
        var reader = ByteReader(bytes: bytes, offset: Self.magic.count, end: bytes.count - 4)
        let jsonLength = Int(try reader.read(UInt32.self))
        let json = try reader.bytes(jsonLength)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { header = try decoder.decode(Header.self, from: Data(json)) } catch {
            throw CheckpointError(reason: "its header cannot be read: \(error)")
        }
        guard Self.readableFormats.contains(header.formatVersion) else {
            throw CheckpointError(
                reason:
                    "it has format \(header.formatVersion); this build reads formats \(Self.readableFormats.lowerBound)...\(Self.readableFormats.upperBound)")
        }
        parameters = try reader.floats()
        firstMoment = try reader.floats()
        secondMoment = try reader.floats()
        guard reader.offset == reader.end else {
            throw CheckpointError(reason: "it has \(reader.end - reader.offset) bytes after its last array")
        }
    }

    private func append<Value: FixedWidthInteger>(_ value: Value, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}

private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

/// Reads little-endian values from a checkpoint's bytes, refusing to run past the end.
private struct ByteReader {
    let bytes: [UInt8]
    var offset: Int
    let end: Int

    mutating func read<Value: FixedWidthInteger>(_: Value.Type) throws(CheckpointError) -> Value {
        let size = MemoryLayout<Value>.size
        guard end - offset >= size else { throw CheckpointError(reason: "it ends inside its data") }
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Value.self) }
        offset += size
        return Value(littleEndian: value)
    }

    mutating func bytes(_ count: Int) throws(CheckpointError) -> ArraySlice<UInt8> {
        guard count >= 0, end - offset >= count else { throw CheckpointError(reason: "it ends inside its data") }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func floats() throws(CheckpointError) -> [Float] {
        let count = try read(UInt64.self)
        guard count <= UInt64((end - offset) / 4) else { throw CheckpointError(reason: "it ends inside its data") }
        let start = offset
        let values = bytes.withUnsafeBytes { raw in
            (0..<Int(count)).map {
                Float(
                    bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * $0, as: UInt32.self))
                )
            }
        }
        offset += 4 * Int(count)
        return values
    }
}

/// Why a checkpoint was refused.
public struct CheckpointError: Error, Equatable, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}
