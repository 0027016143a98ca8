@testable import EmergentCore
import Kernels
import Testing

@Suite("Tensor")
struct TensorTests {
    @Test("shape, row-major indexing and reshaping")
    func indexing() {
        var t = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
        #expect(t.count == 24 && t.rank == 3)
        #expect(t[1, 2, 3] == 23 && t[0, 1, 2] == 6 && t[1, 0, 0] == 12)
        t[1, 1, 1] = -1
        #expect(t.scalars[17] == -1)
        #expect(t.reshaped([6, 4])[4, 1] == -1)
        #expect(Tensor.zeros([0, 5]).count == 0)
    }

    @Test("elementwise arithmetic, axpy and bias broadcast")
    func arithmetic() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 2], scalars: [0.5, -1, 2, 0])
        #expect((a + b).scalars == [1.5, 1, 5, 4])
        #expect((a - b).scalars == [0.5, 3, 1, 4])
        #expect((a * b).scalars == [0.5, -2, 6, 0])
        #expect((2 * a).scalars == [2, 4, 6, 8])
        var c = a
        c.add(b, scaledBy: -2)
        #expect(c.scalars == [0, 4, -1, 4])
        c.scale(by: 0.5)
        #expect(c.scalars == [0, 2, -0.5, 2])
        c.addToEachRow(Tensor(shape: [2], scalars: [10, 20]))
        #expect(c.scalars == [10, 22, 9.5, 22])
        #expect(a.map { $0 * $0 }.scalars == [1, 4, 9, 16])
    }

    @Test("reductions against their formulas")
    func reductions() {
        let values: [Float] = [1, 2, 3, 4, 10]
        let t = Tensor(shape: [5], scalars: values)
        #expect(t.sum() == 20)
        #expect(t.mean() == 4)
        // population variance: ((−3)² + (−2)² + (−1)² + 0² + 6²)/5 = 50/5
        #expect(abs(t.variance() - 10) < 1e-12)
        #expect(t.squaredNorm() == 130)
        #expect(abs(t.rms() - (130.0 / 5).squareRoot()) < 1e-12)
        #expect(t.min() == 1 && t.max() == 10)
        let m = Tensor(shape: [3, 2], scalars: [1, 5, 2, -6, 3, 7])
        #expect(m.sumOverRows().scalars == [6, 6])
        #expect(m.argmaxOfRows() == [1, 0, 1])
        #expect(m.transposed().shape == [2, 3] && m.transposed().scalars == [1, 2, 3, 5, -6, 7])
    }

    @Test("Double accumulation keeps a million small terms exact")
    func accurateSum() {
        let t = Tensor(shape: [1_000_000], repeating: 0.1)
        // A Float running sum would drift to ~100958; Double stays within rounding of 0.1f.
        #expect(abs(t.sum() - 1_000_000 * Double(Float(0.1))) < 1e-6)
    }

    @Test("matmul in every layout equals the naive product")
    func matmul() {
        var generator = SeededRandom(seed: 11)
        let a = Tensor.normal([13, 7], using: &generator)
        let b = Tensor.normal([7, 9], using: &generator)
        let expected = naiveProduct(a, b)
        let layouts = [(false, false), (true, false), (false, true), (true, true)]
        for (ta, tb) in layouts {
            let left = ta ? a.transposed() : a, right = tb ? b.transposed() : b
            let product = Tensor.matmul(left, right, transposeA: ta, transposeB: tb)
            #expect(product.shape == [13, 9])
            let error = zip(product.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
            #expect(error < 1e-4, "layout \(ta)\(tb): max error \(error)")
        }
        #expect(Tensor.matmul(Tensor.zeros([3, 0]), Tensor.zeros([0, 2])).scalars == [0, 0, 0, 0, 0, 0])
    }

    @Test("random tensors are reproducible from the seed")
    func randomTensors() {
        var first = SeededRandom(seed: 5), second = SeededRandom(seed: 5)
        #expect(Tensor.normal([4, 4], using: &first) == Tensor.normal([4, 4], using: &second))
        let u = Tensor.uniform([1000], lower: -1, upper: 1, using: &first)
        #expect(u.scalars.allSatisfy { $0 >= -1 && $0 < 1 })
    }

    private func naiveProduct(_ a: Tensor, _ b: Tensor) -> Tensor {
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        var c = Tensor.zeros([m, n])
        for i in 0..<m {
            for j in 0..<n {
                var sum: Double = 0
                for p in 0..<k { sum += Double(a[i, p]) * Double(b[p, j]) }
                c[i, j] = Float(sum)
            }
        }
        return c
    }
}
