import Foundation
import Kernels

/// What a run folder records about the code that wrote it.
public enum BuildInfo {
    /// The package's own version, used where no git checkout describes the build.
    public static let packageVersion = "0.12.0"

    /// `git describe` of the checkout the binary was built from, when there is one; else the
    /// package version. Read once.
    public static let codeVersion: String = {
        guard let data = EmbeddedData.dataDirectory else { return "emergent \(packageVersion)" }
        let root = (data as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent(".git")) else {
            return "emergent \(packageVersion)"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root, "describe", "--always", "--dirty", "--tags"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "emergent \(packageVersion)" }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !text.isEmpty ? "git \(text)" : "emergent \(packageVersion)"
    }()

    /// The compiler's language version this binary was built with.
    public static var swiftVersion: String {
        #if compiler(>=6.4)
        "6.4 or later"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }

    /// The GEMM kernels this process trains with.
    public static var instructionSet: String { GemmBackend.best.description }
}
