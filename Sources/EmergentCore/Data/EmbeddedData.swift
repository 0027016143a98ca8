import Foundation

/// The Fashion-MNIST subset shipped in `data/fashion-mnist-small` (see `data/README.md`),
/// so that the lab runs on a fresh machine with nothing installed.
public enum EmbeddedData {
    public static let folderName = "fashion-mnist-small"

    /// SHA-256 of each stored file, also listed in `data/README.md`. Kept in code so that a
    /// damaged checkout cannot vouch for itself.
    public static let checksums = [
        "train-images-idx3-ubyte.gz": "1ecc7f90b9d150b40c359acf80cfec4990bfbcc1db9fe346f886d9e7fcae0000",
        "train-labels-idx1-ubyte.gz": "036b3a9440a684e6f8117e910b5dad249f9165250c2ae2341f2bfd8482381497",
        "t10k-images-idx3-ubyte.gz": "e60ede7714c657ced2d723c33140572b5476b46df34b385a6e176b0757dc4318",
        "t10k-labels-idx1-ubyte.gz": "e6d25f5f3e85bb315a10172898c1c8f69ce52c4f9306c5821205c821bfca8847",
    ]

    /// The checkout's `data` folder: found by walking up from the executable (`swift run`
    /// puts it under `.build/…`), then from this source file's compile-time location, then
    /// from the working directory.
    public static var dataDirectory: String? {
        var starts = [
            URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
                .deletingLastPathComponent()
        ]
        starts.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent())
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for start in starts {
            var directory = start
            while true {
                let candidate = directory.appendingPathComponent("data").appendingPathComponent(folderName)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
                    isDirectory.boolValue
                {
                    return directory.appendingPathComponent("data").path
                }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return nil
    }

    public static var subsetDirectory: String? {
        dataDirectory.map { ($0 as NSString).appendingPathComponent(folderName) }
    }
}
