import Kernels
import Testing

@Suite("Elementwise loops against their scalar definitions")
struct VectorMathTests {
    /// Counts 0…67 cover whole vectors of every family and every tail length; the values
    /// include zeros of both signs and a NaN, whose ReLU stays NaN and whose gradient is 0.
    @Test("relu, its backward and add, every count 0…67")
    func everyCount() {
        for count in 0...67 {
            let x = (0..<count).map { i -> Float in
                if i == 5 { return .nan }
                if i % 7 == 0 { return i % 2 == 0 ? 0 : -0.0 }
                return Float(i % 5) - 2.5 + Float(i) / 100
            }
            let dy = (0..<count).map { Float($0) * 0.25 + 1 }
            var y = [Float](repeating: 99, count: count), dx = y, sum = dy
            x.withUnsafeBufferPointer { x in
                dy.withUnsafeBufferPointer { dyBuffer in
                    y.withUnsafeMutableBufferPointer { VectorMath.relu(x.baseAddress!, $0.baseAddress!, count: count) }
                    dx.withUnsafeMutableBufferPointer {
                        VectorMath.reluBackward(x.baseAddress!, dyBuffer.baseAddress!, $0.baseAddress!, count: count)
                    }
                    sum.withUnsafeMutableBufferPointer {
                        VectorMath.add(x.baseAddress!, into: $0.baseAddress!, count: count)
                    }
                }
            }
            for i in 0..<count {
                let reluExpected: Float = x[i].isNaN ? .nan : x[i] < 0 ? 0 : x[i]
                #expect(y[i] == reluExpected || (y[i].isNaN && reluExpected.isNaN), "relu count \(count) at \(i)")
                #expect(dx[i] == (x[i] > 0 ? dy[i] : 0), "relu backward count \(count) at \(i)")
                let added = dy[i] + x[i]
                #expect(sum[i] == added || (sum[i].isNaN && added.isNaN), "add count \(count) at \(i)")
            }
        }
    }
}
