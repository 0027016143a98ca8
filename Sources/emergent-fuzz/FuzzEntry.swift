import FuzzHarnesses

#if FUZZING
import Foundation

// Built with `-sanitize=fuzzer -DFUZZING` and linked with libFuzzer's own main (.ci/fuzz):
// libFuzzer drives the harness that EMERGENT_FUZZ_TARGET names.
private let harness: FuzzHarness = {
    let name = ProcessInfo.processInfo.environment["EMERGENT_FUZZ_TARGET"] ?? ""
    guard let harness = FuzzHarness(rawValue: name) else {
        FileHandle.standardError.write(
            Data("set EMERGENT_FUZZ_TARGET to one of: \(FuzzHarness.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return harness
}()

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    harness.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
#else
/// Without the fuzzer: `emergent-fuzz HARNESS FILE…` feeds files to a harness (to replay a
/// crash by hand).
@main
struct FuzzReplay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let harness = FuzzHarness(rawValue: name) else {
            print("usage: emergent-fuzz HARNESS FILE…; harnesses: \(FuzzHarness.allCases.map(\.rawValue).joined(separator: ", "))")
            return
        }
        for file in arguments.dropFirst() {
            guard let bytes = FuzzInput.read(file) else {
                print("\(file): cannot be read")
                continue
            }
            harness.run(bytes)
            print("\(file): handled")
        }
    }
}
#endif
