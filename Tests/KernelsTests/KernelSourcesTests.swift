import Foundation
import Testing

/// The per-instruction-set kernels are one folder compiled three times: each instruction
/// set's target holds a single link to it, so a file added there cannot be left out of one
/// build (Swift has no per-function target features; see Package.swift).
@Suite("Kernel sources: one folder, compiled once per instruction set")
struct KernelSourcesTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    @Test(
        "each instruction set's target is exactly one link to Sources/Kernels/PerInstructionSet",
        arguments: ["KernelsAVX512", "KernelsAVX2", "KernelsPortable"])
    func targetLinksTheSharedFolder(target: String) throws {
        let folder = Self.sources.appendingPathComponent(target)
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(entries == ["PerInstructionSet"], "\(target) holds \(entries); a file here would build for one set only")
        let link = folder.appendingPathComponent("PerInstructionSet").path
        let destination = try FileManager.default.destinationOfSymbolicLink(atPath: link)
        #expect(destination == "../Kernels/PerInstructionSet")
        let shared = URL(fileURLWithPath: Self.sources.appendingPathComponent("Kernels/PerInstructionSet").path).resolvingSymlinksInPath()
        #expect(URL(fileURLWithPath: link).resolvingSymlinksInPath().path == shared.path)
    }

    @Test("the shared folder holds the family table and the kernels it lists")
    func sharedFolderHoldsTheTable() throws {
        let shared = Self.sources.appendingPathComponent("Kernels/PerInstructionSet")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: shared.path))
        #expect(files.isSuperset(of: ["FamilyTable.swift", "PackedGemm.swift", "FMAPeak.swift", "Elementwise.swift"]))
        #expect(files.allSatisfy { $0.hasSuffix(".swift") })
        let table = try String(contentsOf: shared.appendingPathComponent("FamilyTable.swift"), encoding: .utf8)
        for kernel in ["PackedGemm", "FMAPeak", "Elementwise", "MaxPool2x2"] {
            #expect(table.contains(kernel + "."), "the table lists \(kernel)")
        }
    }
}
