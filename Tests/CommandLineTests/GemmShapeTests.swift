import Benchmarks
import Testing

@Suite("GEMM shape parsing")
struct GemmShapeTests {
    @Test("valid shapes")
    func valid() throws {
        let shape = try GemmShape(parsing: "128x784x256")
        #expect(shape.m == 128 && shape.k == 784 && shape.n == 256)
        #expect(shape.flops == 2 * 128 * 784 * 256)
        let cube = try GemmShape(parsing: "512")
        #expect(cube.m == 512 && cube.k == 512 && cube.n == 512)
        #expect(shape.label == "mlp first layer" && cube.label == "square", "standard shapes keep their names")
        #expect(try GemmShape(parsing: "7x8x9").label == "custom")
    }

    @Test(
        "malformed or out-of-range shapes name the text and the valid range",
        arguments: [
            "", "x", "128x", "128x784", "1x2x3x4", "abc", "12.5x3x4", "128x-5x10", "0x1x1", "65537x1x1",
            "99999999999999999999",
        ])
    func invalid(text: String) {
        #expect {
            try GemmShape(parsing: text)
        } throws: { error in
            let message = "\(error)"
            return message.contains("'\(text)'") && (message.contains("1...65536") || message.contains("MxKxN"))
        }
    }
}
