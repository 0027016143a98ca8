import Foundation
import Testing

/// Runs the `emergent` binary that `swift build` put next to the test bundle.
struct EmergentProcess {
    struct Result {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    static var executable: URL {
        // The test runner lives in the products directory (.build/debug or .build/release).
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("emergent")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return runner.deletingLastPathComponent().appendingPathComponent("emergent")
    }

    /// Where the commands run: a fresh folder, so the run folders they write (./runs) stay out of the checkout.
    static let workingDirectory: String = {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("emergent-cli-tests-\(getpid())")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// `environment` replaces the process's environment when given.
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        if let environment { process.environment = environment }
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }

    /// Runs `arguments` and expects a failure with one line on stderr containing `expected`.
    /// Whether `python3` here imports `module` (tests of readers and references that CI
    /// installs run only where they are).
    static func pythonImports(_ module: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static func expectOneLineError(
        _ arguments: [String], _ expected: String, environment: [String: String]? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try run(arguments, environment: environment)
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(
            result.standardError.split(separator: "\n").count == 1, "stderr: \(result.standardError)",
            sourceLocation: sourceLocation)
        #expect(
            result.standardError.contains(expected), "stderr: \(result.standardError)", sourceLocation: sourceLocation)
    }
}
