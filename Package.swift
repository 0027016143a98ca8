// swift-tools-version:6.0
import PackageDescription

// The kernels in Sources/Kernels/PerInstructionSet are compiled three times, once per
// instruction set: each KernelsXXX folder holds one link to that folder (a new file there is
// compiled into all three at once; KernelsTests checks the links), and the Kernels target
// leaves it out. Swift has no per-function target features, and without `-target-cpu`
// `SIMD.addingProduct` lowers to one libm `fmaf` call per lane (0.8 GFLOP/s). The flags sit
// in the targets' own settings so that debug builds (`swift test`) run the same fast code as
// release builds.
let kernelFlags = ["-Ounchecked"]

let package = Package(
    name: "Emergent",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "emergent", targets: ["emergent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "CKernelSupport"),
        // The type of a family's table of kernels, shared by the three builds and `Kernels`.
        .target(name: "KernelInterface"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "KernelsAVX512",
            dependencies: ["CKernelSupport", "KernelInterface"],
            swiftSettings: [.define("KERNELS_AVX512"), .unsafeFlags(kernelFlags + ["-target-cpu", "skylake-avx512"])]),
        .target(
            name: "KernelsAVX2",
            dependencies: ["CKernelSupport", "KernelInterface"],
            swiftSettings: [.define("KERNELS_AVX2"), .unsafeFlags(kernelFlags + ["-target-cpu", "haswell"])]),
        .target(
            name: "KernelsPortable",
            dependencies: ["CKernelSupport", "KernelInterface"],
            swiftSettings: [.unsafeFlags(kernelFlags)]),
        .target(
            name: "Kernels",
            dependencies: ["KernelInterface", "KernelsAVX512", "KernelsAVX2", "KernelsPortable"],
            exclude: ["PerInstructionSet"],
            swiftSettings: [.unsafeFlags(["-Ounchecked"])]),
        .target(
            name: "EmergentCore",
            dependencies: ["Kernels", "CZlib"]),
        .target(
            name: "DashboardCore",
            dependencies: ["EmergentCore"]),
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncursesw5-dev"])]),
        .target(
            name: "TerminalBackend",
            dependencies: ["CNcursesw", "DashboardCore"]),
        .target(
            name: "Benchmarks",
            dependencies: ["EmergentCore", "Kernels", "DashboardCore"]),
        // The fuzzers' harnesses (one reader of untrusted bytes each) and their libFuzzer entry;
        // .ci/fuzz builds them with -sanitize=fuzzer, and FuzzTests replays every kept input.
        .target(name: "FuzzHarnesses", dependencies: ["EmergentCore", "DashboardCore"]),
        .executableTarget(name: "emergent-fuzz", dependencies: ["FuzzHarnesses"]),
        .executableTarget(
            name: "emergent",
            dependencies: [
                "EmergentCore", "Kernels", "Benchmarks", "DashboardCore", "TerminalBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels"]),
        .testTarget(name: "EmergentCoreTests", dependencies: ["EmergentCore", "Kernels"], exclude: ["Models/Fixtures"]),
        .testTarget(name: "DashboardCoreTests", dependencies: ["DashboardCore", "EmergentCore"], exclude: ["Goldens"]),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzHarnesses"]),
        .testTarget(name: "CommandLineTests", dependencies: ["emergent", "EmergentCore", "Kernels", "Benchmarks"]),
    ],
    swiftLanguageModes: [.v6]
)
