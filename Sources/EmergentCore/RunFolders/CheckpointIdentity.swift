import Kernels
/// Whose checkpoint a file is: the run folder's name and the SHA-256 of the run's resolved
/// configuration (the `resolved` member of its `config.json`). The writer stamps it into
/// every checkpoint; a resume refuses a checkpoint whose stamp is another run's, naming both.
public struct CheckpointIdentity: Sendable, Equatable {
    public let run: String
    public let configDigest: String

    public init(run: String, resolved: JSONValue) {
        self.run = run
        configDigest = SHA256.hex(of: Array(resolved.text().utf8))
    }

    /// Why `header` is not this run's checkpoint; nil when it is (or, format 1, carries no stamp).
    public func mismatch(_ header: TrainerCheckpoint.Header) -> String? {
        guard let run = header.run, let digest = header.configDigest else { return nil }
        if run != self.run {
            return "it is the checkpoint of run \(run), not of \(self.run)"
        }
        if digest != configDigest {
            return "its configuration digest \(digest.prefix(12)) is not this run's \(configDigest.prefix(12)) "
                + "(the run's config.json changed since, or the checkpoint was copied from another experiment)"
        }
        return nil
    }

    func stamp(_ header: inout TrainerCheckpoint.Header) {
        header.run = run
        header.configDigest = configDigest
    }
}
