@testable import EmergentCore
import Foundation
import Testing

@Suite("Checkpoints")
struct CheckpointTests {
    /// Trains `trainer` to its end, collecting its events with clock readings zeroed.
    static func trainToEnd(_ trainer: Trainer, stopAtEpoch: Int? = nil, stopAtStep: Int? = nil) -> [RunEvent] {
        var events: [RunEvent] = []
        while !trainer.isTerminal {
            if let stopAtEpoch, trainer.epoch >= stopAtEpoch, trainer.batchInEpoch == 0, trainer.step > 0 { break }
            if let stopAtStep, trainer.step >= stopAtStep { break }
            trainer.advance(.steps(1)) { events.append(EngineFixtures.withoutTimings($0)) }
        }
        return events
    }

    /// A one-layer transformer with dropout on de-en-numbers, Adam: every state a checkpoint keeps.
    static func smallTransformer() throws -> RunConfig {
        let model =
            #"{"kind": "transformer", "width": 16, "heads": 2, "encoder_layers": 1, "decoder_layers": 1, "feed_forward": 32, "max_length": 48, "dropout": 0.1}"#
        return try EngineFixtures.experiment(
            #"{"init": "kaiming"}"#, model: model,
            extra:
                #""dataset": "de-en-numbers", "epochs": 2, "epoch_size": 64, "optimizer": {"kind": "adam", "lr": 0.003}, "decode_size": 4, "eval_size": 8"#
        ).runs[0]
    }

    static func withoutCheckpoints(_ events: [RunEvent]) -> [RunEvent] {
        events.filter { if case .checkpointed = $0 { false } else { true } }
    }

    /// Uninterrupted against stopped at `epoch`, written to bytes, read back and resumed:
    /// every event after the checkpoint must be equal, bit for bit.
    /// `inside`: that many batches into epoch `epoch + 1` instead of at its start (a
    /// checkpoint taken mid-epoch, as a time limit's warning takes it).
    static func expectResumeEquality(
        _ config: RunConfig, data: ExperimentData, epoch: Int, inside: Int = 0, before: ((Trainer) -> Void)? = nil
    ) throws {
        let whole = Trainer(config: config, data: data)
        before?(whole)
        let uninterrupted = trainToEnd(whole)
        let first = Trainer(config: config, data: data)
        before?(first)
        let stop = epoch * whole.stepsPerEpoch + inside
        let head = inside == 0 ? trainToEnd(first, stopAtEpoch: epoch) : trainToEnd(first, stopAtStep: stop)
        let bytes = first.checkpoint().encoded()
        let checkpoint = try TrainerCheckpoint(decoding: bytes)
        #expect(checkpoint == first.checkpoint(), "the checkpoint reads back as written")
        #expect(checkpoint.header.batchInEpoch == (inside == 0 ? nil : inside))
        let resumed = try Trainer(config: config, data: data, checkpoint: checkpoint)
        #expect(resumed.step == stop && resumed.epoch == epoch && resumed.batchInEpoch == inside)
        let tail = trainToEnd(resumed)
        #expect(withoutCheckpoints(head + tail) == withoutCheckpoints(uninterrupted), "\(config.label)")
        #expect(EngineFixtures.steps(tail).first?.step == stop + 1)
    }

    @Test("a resumed run equals the uninterrupted one bit for bit: BatchNorm, dropout, momentum and a live lr")
    func classifierResumes() throws {
        let data = try EngineFixtures.imageData()
        for model in [
            #"{"kind": "mlp", "widths": [16, 16], "batch_norm": true}"#,
            #"{"kind": "mlp", "widths": [16, 16], "dropout": 0.3}"#,
        ] {
            let experiment = try EngineFixtures.experiment(
                #"{"init": "kaiming"}"#, model: model,
                extra: #""epochs": 3, "optimizer": {"momentum": 0.9}, "changes": [{"step": 30, "lr": 0.02}]"#)
            try Self.expectResumeEquality(experiment.runs[0], data: data, epoch: 1) { trainer in
                trainer.change(.tau, to: 0.1) { _ in }
                trainer.changeEpochs(to: 4) { _ in }
            }
        }
    }

    @Test("a checkpoint inside an epoch resumes bit for bit: the rest of the epoch's batches, its epoch averages, BatchNorm, dropout, the updater and Adam")
    func midEpochResumes() throws {
        let data = try EngineFixtures.imageData()
        for (model, initText) in [
            (#"{"kind": "mlp", "widths": [16, 16], "batch_norm": true}"#, "kaiming"),
            (#"{"kind": "mlp", "widths": [16, 16], "dropout": 0.3}"#, "kaiming"),
            (#"{"kind": "mlp", "widths": [16, 16]}"#, "updater:warmup=20"),
        ] {
            let experiment = try EngineFixtures.experiment(
                #"{"init": "\#(initText)"}"#, model: model,
                extra: #""epochs": 3, "optimizer": {"momentum": 0.9}, "changes": [{"step": 30, "lr": 0.02}]"#)
            for inside in [1, 7] {
                try Self.expectResumeEquality(experiment.runs[0], data: data, epoch: 1, inside: inside)
            }
        }
        try Self.expectResumeEquality(Self.smallTransformer(), data: EngineFixtures.translationData(), epoch: 0, inside: 3)
        // A checkpoint's cursor must be a batch of this run's epoch.
        let config = try EngineFixtures.experiment(#"{"init": "kaiming"}"#).runs[0]
        let trainer = Trainer(config: config, data: data)
        _ = Self.trainToEnd(trainer, stopAtStep: 3)
        var moved = trainer.checkpoint()
        moved.header.batchInEpoch = trainer.stepsPerEpoch + 2
        let refusal = #expect(throws: CheckpointError.self) { try Trainer(config: config, data: data, checkpoint: moved) }
        #expect(refusal?.reason.contains("is not batch") == true, "\(refusal?.reason ?? "")")
    }

    @Test("the weight updater resumes in the middle of its warm-up")
    func updaterResumes() throws {
        let experiment = try EngineFixtures.experiment(#"{"init": "updater:warmup=20"}"#, extra: #""epochs": 3"#)
        try Self.expectResumeEquality(experiment.runs[0], data: EngineFixtures.imageData(), epoch: 1)
    }

    @Test("the transformer resumes with Adam's moments and its dropout generators")
    func transformerResumes() throws {
        try Self.expectResumeEquality(Self.smallTransformer(), data: EngineFixtures.translationData(), epoch: 1)
    }

    @Test("a damaged checkpoint is refused with the reason; another model's checkpoint is refused")
    func damagedCheckpoints() throws {
        let data = try EngineFixtures.imageData()
        let config = try EngineFixtures.experiment(#"{"init": "kaiming"}"#).runs[0]
        let trainer = Trainer(config: config, data: data)
        _ = Self.trainToEnd(trainer, stopAtEpoch: 1)
        let bytes = trainer.checkpoint().encoded()
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x10
        #expect(throws: CheckpointError.self) { try TrainerCheckpoint(decoding: flipped) }
        do {
            _ = try TrainerCheckpoint(decoding: flipped)
            Issue.record("expected a refusal, but nothing was thrown")
        } catch { #expect(error.reason.contains("checksum fails")) }
        for cut in [0, 7, 20, bytes.count - 5] {
            #expect(throws: CheckpointError.self) { try TrainerCheckpoint(decoding: Array(bytes.prefix(cut))) }
        }
        #expect(throws: CheckpointError.self) { try TrainerCheckpoint(decoding: Array("not a checkpoint".utf8)) }
        let wider = try EngineFixtures.experiment(
            #"{"init": "kaiming"}"#, model: #"{"kind": "mlp", "widths": [32, 16]}"#)
        do {
            _ = try Trainer(config: wider.runs[0], data: data, checkpoint: try TrainerCheckpoint(decoding: bytes))
            Issue.record("another model's checkpoint was accepted")
        } catch {
            #expect(error.reason.contains("parameters"))
        }
    }

    @Test("CRC-32C matches its published check value and TFRecord's masking")
    func crc() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        let crc = CRC32C.checksum(Array("123456789".utf8))
        #expect(CRC32C.masked(crc) == ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
        // The eight-bytes-at-a-time path agrees with the byte-at-a-time reference at every length and alignment.
        func reference(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes { crc = CRC32C.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            return crc ^ 0xFFFF_FFFF
        }
        #expect(reference(Array("123456789".utf8)) == 0xE306_9283)
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32C.checksum($0) } == 0xE306_9283)
        var generator = SeededRandom(seed: 5)
        let bytes = (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for start in 0..<9 {
            for end in stride(from: start, through: bytes.count, by: 7) {
                let slice = Array(bytes[start..<end])
                #expect(slice.withUnsafeBytes { CRC32C.checksum($0) } == reference(slice), "\(start)..<\(end)")
            }
        }
    }
}
